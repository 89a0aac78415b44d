// SPDX-License-Identifier: GPL-2.0
/* modforge sample: a module of six objects whose own Makefile includes modforge.mk. */
#include <linux/init.h>
#include <linux/module.h>
#include "mfsample.h"

static int __init mfsample_init(void)
{
	int v = mfsample_e(mfsample_d(mfsample_c(mfsample_b(mfsample_a(1)))));

	pr_info("mfsample: loaded (%d)\n", v);
	return 0;
}

static void __exit mfsample_exit(void)
{
	pr_info("mfsample: unloaded\n");
}

module_init(mfsample_init);
module_exit(mfsample_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge sample: a module Makefile that includes modforge.mk");
MODULE_VERSION("1.0");
