// SPDX-License-Identifier: GPL-2.0-only
/* Uses the unversioned assembler export of its sibling module. */
#include <linux/module.h>

int modforge_asm_fn(void);

int diag_asm_user_call(void)
{
	return modforge_asm_fn();
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge: user of an export without CRC");
