// SPDX-License-Identifier: GPL-2.0
/* modforge load test: imports from load_extra_a, which another kbuild run built. */
#include <linux/module.h>

size_t load_extra_a_len(const char *s);
extern int load_extra_a_version;

static int __init load_extra_b_init(void)
{
	pr_info("load_extra_b: %zu %d\n", load_extra_a_len("modforge"), load_extra_a_version);
	return 0;
}

static void __exit load_extra_b_exit(void)
{
}

module_init(load_extra_b_init);
module_exit(load_extra_b_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge load test: importer of a two-directory build");
