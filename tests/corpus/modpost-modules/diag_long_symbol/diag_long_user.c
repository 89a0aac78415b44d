// SPDX-License-Identifier: GPL-2.0-only
/* Uses the long-named export of its sibling module. */
#include <linux/module.h>

int modforge_symbol_name_longer_than_module_name_len_abcdefghij(void);

int diag_long_user_call(void)
{
	return modforge_symbol_name_longer_than_module_name_len_abcdefghij();
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge: user of a long export name");
