// SPDX-License-Identifier: GPL-2.0
/* modforge sample: the module's entry points; the work is done in the other two objects. */
#include <linux/module.h>
#include "mo.h"

static const u8 mo_data[] = "modforge";

static int __init mo_init(void)
{
	char buf[48];

	mo_describe(buf, sizeof(buf), mo_checksum(mo_data, sizeof(mo_data) - 1));
	pr_info("multi_object: %s\n", buf);
	return 0;
}

static void __exit mo_exit(void)
{
}

module_init(mo_init);
module_exit(mo_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge sample: a module built from several objects");
