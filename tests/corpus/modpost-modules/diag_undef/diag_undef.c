// SPDX-License-Identifier: GPL-2.0-only
/* Calls a function nothing exports: modpost reports it undefined. */
#include <linux/module.h>

void modforge_no_such_function(void);

static int __init diag_undef_init(void)
{
	modforge_no_such_function();
	return 0;
}
module_init(diag_undef_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge: an undefined symbol");
