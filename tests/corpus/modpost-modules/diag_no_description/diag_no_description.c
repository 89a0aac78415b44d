// SPDX-License-Identifier: GPL-2.0-only
/* A module without MODULE_DESCRIPTION(). */
#include <linux/module.h>

MODULE_LICENSE("GPL");
