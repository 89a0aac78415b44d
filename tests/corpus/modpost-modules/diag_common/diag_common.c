// SPDX-License-Identifier: GPL-2.0-only
/* An uninitialised global without "static": with -fcommon it becomes SHN_COMMON. */
#include <linux/module.h>

int modforge_common_counter;

int diag_common_bump(void)
{
	return ++modforge_common_counter;
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge: COMMON symbol");
