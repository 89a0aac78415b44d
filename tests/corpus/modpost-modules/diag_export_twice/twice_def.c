// SPDX-License-Identifier: GPL-2.0-only
/* Defines and exports modforge_twice. */
#include <linux/module.h>

int modforge_twice(void)
{
	return 0;
}
EXPORT_SYMBOL(modforge_twice);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge: duplicate export (a)");
