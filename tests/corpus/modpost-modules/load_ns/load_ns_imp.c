// SPDX-License-Identifier: GPL-2.0
/* modforge load test: imports the MODFORGE_LOAD namespace of load_ns_exp. */
#include <linux/module.h>
#include "load_ns.h"

static int __init load_ns_imp_init(void)
{
	pr_info("load_ns_imp: %d\n", load_ns_get());
	return 0;
}

static void __exit load_ns_imp_exit(void)
{
	load_ns_put();
}

module_init(load_ns_imp_init);
module_exit(load_ns_imp_exit);
MODULE_IMPORT_NS(MODFORGE_LOAD);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge load test: namespace importer");
