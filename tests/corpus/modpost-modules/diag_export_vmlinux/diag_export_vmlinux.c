// SPDX-License-Identifier: GPL-2.0-only
/* Defines and exports its own msleep(): "exported twice", previous export in vmlinux. */
#include <linux/module.h>
#include <linux/delay.h>

void msleep(unsigned int msecs)
{
}
EXPORT_SYMBOL(msleep);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge: re-export of a vmlinux symbol");
