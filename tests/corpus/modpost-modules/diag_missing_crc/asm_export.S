/* SPDX-License-Identifier: GPL-2.0-only */
/* An exported assembler function that no C header declares. */
#include <linux/linkage.h>
#include <linux/export.h>
#if __has_include(<asm/export.h>)
#include <asm/export.h>	/* 6.1: the assembler EXPORT_SYMBOL lives here */
#endif

SYM_FUNC_START(modforge_asm_fn)
	xorl %eax, %eax
	RET
SYM_FUNC_END(modforge_asm_fn)
EXPORT_SYMBOL(modforge_asm_fn)
