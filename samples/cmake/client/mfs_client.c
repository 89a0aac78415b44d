// SPDX-License-Identifier: GPL-2.0-only
/* Imports the counter's symbols (mfs_counter_add is EXPORT_SYMBOL_GPL). */
#include <linux/module.h>
#include <linux/printk.h>
#include <mfs_shared.h>
#include "client_local.h"

static int __init mfs_client_init(void)
{
	struct mfs_sample s = { .id = MFS_CLIENT_SLOT, .value = MFS_CLIENT_STEP };
	long rc = mfs_counter_add(&s);

	if (rc)
		return rc;
	pr_info("mfs_client: slot %u holds %lld\n", s.id, mfs_counter_read(s.id));
	return 0;
}

static void __exit mfs_client_exit(void)
{
}

module_init(mfs_client_init);
module_exit(mfs_client_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge CMake sample: imports the counter's symbols");
