/* SPDX-License-Identifier: GPL-2.0-only */
/* .export_symbol records laid out as ___EXPORT_SYMBOL lays them out in 6.12: the
 * licence string, the namespace string, then an 8-byte reference to the symbol. */
#include <linux/linkage.h>

SYM_FUNC_START(modforge_sec_a)
	xorl %eax, %eax
	RET
SYM_FUNC_END(modforge_sec_a)

SYM_FUNC_START(modforge_sec_b)
	xorl %eax, %eax
	RET
SYM_FUNC_END(modforge_sec_b)

SYM_FUNC_START(modforge_sec_c)
	xorl %eax, %eax
	RET
SYM_FUNC_END(modforge_sec_c)

	.section ".export_symbol","a"
strange_export_label:
	.asciz ""
	.ascii "\0"
	.balign 8
	.quad modforge_sec_a

__export_symbol_modforge_sec_b:
	.asciz "BSD"
	.ascii "\0"
	.balign 8
	.quad modforge_sec_b

__export_symbol_modforge_sec_b_alias:
	.asciz "GPL"
	.ascii "\0"
	.balign 8
	.quad modforge_sec_c
	.previous
