// SPDX-License-Identifier: GPL-2.0-only
/* EXPORT_SYMBOL of a function that is only declared. */
#include <linux/module.h>

int modforge_ghost(void);
EXPORT_SYMBOL(modforge_ghost);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge: export without definition");
