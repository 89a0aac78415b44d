// SPDX-License-Identifier: GPL-2.0-only
/*
 * Exports a function with internal linkage: 6.12's modpost says "local symbol ... was
 * exported".  6.1's kbuild already refuses that object before modpost (its
 * check-local-export step), so there the function keeps external linkage and the module
 * is clean.
 */
#include <linux/module.h>
#include <linux/version.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
static
#endif
int modforge_local_fn(void);

int modforge_local_fn(void)
{
	return 0;
}
EXPORT_SYMBOL(modforge_local_fn);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge: export of a local symbol");
