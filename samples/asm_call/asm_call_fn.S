/* SPDX-License-Identifier: GPL-2.0 */
/*
 * modforge sample: a function written in assembly, called from asm_call_main.c.
 *   u64 asm_call_mix(u64 a, u64 b)  returns (a rol 13) ^ b, plus 1
 * SYM_FUNC_START/SYM_FUNC_END give it a type and size (objtool checks functions by them),
 * and RET is the kernel's return: a jump to the return thunk with CONFIG_RETHUNK, or
 * `ret; int3` with CONFIG_SLS, which objtool insists on.
 */
#include <linux/linkage.h>

	.text
SYM_FUNC_START(asm_call_mix)
	movq	%rdi, %rax
	rolq	$13, %rax
	xorq	%rsi, %rax
	incq	%rax
	RET
SYM_FUNC_END(asm_call_mix)
