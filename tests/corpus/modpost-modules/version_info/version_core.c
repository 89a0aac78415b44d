// SPDX-License-Identifier: GPL-2.0-only
/*
 * A two-object module with MODULE_VERSION, so modpost computes a srcversion over its
 * sources and the local header they include (sumversion.c reads the .cmd dependencies).
 */
#include <linux/module.h>
#include "version_info.h"

static int __init version_info_init(void)
{
	return version_info_answer() == VERSION_INFO_MAGIC ? 0 : -EINVAL;
}
module_init(version_info_init);

static void __exit version_info_exit(void)
{
}
module_exit(version_info_exit);

MODULE_VERSION("1.2.3-modforge");
MODULE_DESCRIPTION("modforge: srcversion over two objects");
MODULE_LICENSE("Dual MIT/GPL");
