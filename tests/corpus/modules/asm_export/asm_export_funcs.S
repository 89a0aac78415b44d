/* SPDX-License-Identifier: GPL-2.0 */
/* modforge test module: functions and data exported from assembly. */
#include <linux/linkage.h>
#include <linux/version.h>
#include <asm/asm.h>
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
#include <asm/export.h>
#else
#include <linux/export.h>
#endif

	.text
/* int modforge_asm_add(int a, int b) */
SYM_FUNC_START(modforge_asm_add)
	leal	(%rdi,%rsi), %eax
	RET
SYM_FUNC_END(modforge_asm_add)
EXPORT_SYMBOL(modforge_asm_add)

/* unsigned long modforge_asm_pair_sum(const struct modforge_asm_pair *p) */
SYM_FUNC_START(modforge_asm_pair_sum)
	movslq	(%rdi), %rax
	addq	8(%rdi), %rax
	RET
SYM_FUNC_END(modforge_asm_pair_sum)
EXPORT_SYMBOL_GPL(modforge_asm_pair_sum)

	.section .data
	.balign 8
SYM_DATA_START(modforge_asm_table)
	.quad	0
	.quad	0
SYM_DATA_END(modforge_asm_table)
EXPORT_SYMBOL_GPL(modforge_asm_table)
