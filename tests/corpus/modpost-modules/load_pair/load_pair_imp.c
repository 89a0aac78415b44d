// SPDX-License-Identifier: GPL-2.0
/* modforge load test: imports both symbols of load_pair_exp. */
#include <linux/module.h>
#include "load_pair.h"

static int __init load_pair_imp_init(void)
{
	pr_info("load_pair_imp: %d %p\n", load_pair_add(2, 3), load_pair_stats());
	return 0;
}

static void __exit load_pair_imp_exit(void)
{
}

module_init(load_pair_imp_init);
module_exit(load_pair_imp_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge load test: importer");
