// SPDX-License-Identifier: GPL-2.0
/* modforge sample: the C half of asm_call.ko, calling asm_call_fn.S's function. */
#include <linux/module.h>
#include <linux/types.h>

u64 asm_call_mix(u64 a, u64 b);	/* asm_call_fn.S */

static int __init asm_call_init(void)
{
	pr_info("asm_call: mix(1, 2) = %llu\n", asm_call_mix(1, 2));
	return 0;
}

static void __exit asm_call_exit(void)
{
}

module_init(asm_call_init);
module_exit(asm_call_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge sample: a module with an assembly source");
