// SPDX-License-Identifier: GPL-2.0-only
/* A weak reference to a function nothing defines: modpost stays silent. */
#include <linux/module.h>

void modforge_weak_hook(void) __attribute__((weak));

static int __init diag_weak_undef_init(void)
{
	if (modforge_weak_hook)
		modforge_weak_hook();
	return 0;
}
module_init(diag_weak_undef_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge: a weak undefined symbol");
