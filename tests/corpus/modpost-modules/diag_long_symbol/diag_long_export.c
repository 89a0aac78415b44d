// SPDX-License-Identifier: GPL-2.0-only
/* Exports a function whose name does not fit a __versions entry. */
#include <linux/module.h>

int modforge_symbol_name_longer_than_module_name_len_abcdefghij(void)
{
	return 0;
}
EXPORT_SYMBOL(modforge_symbol_name_longer_than_module_name_len_abcdefghij);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge: long export name");
