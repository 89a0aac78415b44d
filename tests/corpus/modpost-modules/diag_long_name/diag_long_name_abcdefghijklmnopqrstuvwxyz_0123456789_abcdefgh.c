// SPDX-License-Identifier: GPL-2.0-only
/* The file name makes the module name too long. */
#include <linux/module.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge: module name too long");
