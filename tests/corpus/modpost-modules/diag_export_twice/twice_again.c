// SPDX-License-Identifier: GPL-2.0-only
/* Exports modforge_twice a second time, from another object of the same module. */
#include <linux/module.h>

int modforge_twice(void);
EXPORT_SYMBOL(modforge_twice);
