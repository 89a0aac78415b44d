// SPDX-License-Identifier: GPL-2.0-only
#include <linux/module.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge: malformed .export_symbol entries");
