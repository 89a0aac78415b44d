// SPDX-License-Identifier: GPL-2.0
/* modforge test module: C side of the asm export sample (no exports here). */
#include <linux/module.h>
#include "asm_export.h"

static int __init asm_export_init(void)
{
	struct modforge_asm_pair p = { .a = 1, .b = 2 };

	pr_debug("modforge asm_export: %d %lu\n", modforge_asm_add(2, 3),
		 modforge_asm_pair_sum(&p));
	return 0;
}

static void __exit asm_export_exit(void)
{
}

module_init(asm_export_init);
module_exit(asm_export_exit);
MODULE_DESCRIPTION("modforge test: symbols exported from a .S file");
MODULE_LICENSE("GPL");
