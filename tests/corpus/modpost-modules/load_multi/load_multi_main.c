// SPDX-License-Identifier: GPL-2.0
/* modforge load test: the init half of load_multi. */
#include <linux/module.h>
#include "load_multi.h"

static int __init load_multi_init(void)
{
	struct load_multi_acc acc = { 0 };

	load_multi_feed(&acc, 4);
	load_multi_feed(&acc, 8);
	pr_info("load_multi: mean %ld\n", load_multi_mean(&acc));
	return 0;
}

static void __exit load_multi_exit(void)
{
}

module_init(load_multi_init);
module_exit(load_multi_exit);
MODULE_LICENSE("Dual BSD/GPL");
MODULE_VERSION("1.2.3");
MODULE_DESCRIPTION("modforge load test: two objects, MODULE_VERSION");
