// SPDX-License-Identifier: GPL-2.0-only
/* The counter module's entry points. */
#include <linux/module.h>
#include <linux/printk.h>
#include <mfs_shared.h>
#include "counter_local.h"

static int __init mfs_counter_init(void)
{
	mfs_counter_reset();
	pr_info(MFS_COUNTER_GREETING " (interface %d)\n", MFS_SHARED_VERSION);
	return 0;
}

static void __exit mfs_counter_exit(void)
{
	pr_info("mfs_counter: gone\n");
}

module_init(mfs_counter_init);
module_exit(mfs_counter_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("modforge");
MODULE_DESCRIPTION("modforge CMake sample: exports a counter");
