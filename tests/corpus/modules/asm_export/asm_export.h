/* SPDX-License-Identifier: GPL-2.0 */
/* C prototypes of the functions asm_export_funcs.S exports (see Kbuild). */
#ifndef MODFORGE_ASM_EXPORT_H
#define MODFORGE_ASM_EXPORT_H

#include <linux/types.h>

struct modforge_asm_pair {
	int a;
	long b;
	unsigned int flags : 3;
	union {
		u32 word;
		u8 bytes[4];
	};
};

typedef unsigned long (*modforge_asm_fn_t)(const struct modforge_asm_pair *p);

extern int modforge_asm_add(int a, int b);
extern unsigned long modforge_asm_pair_sum(const struct modforge_asm_pair *p);
extern modforge_asm_fn_t modforge_asm_table[2];

#endif
