// SPDX-License-Identifier: GPL-2.0
/* modforge load test: parameters of several kinds, set at insmod time. */
#include <linux/module.h>
#include <linux/moduleparam.h>

static int level = 3;
module_param(level, int, 0644);
MODULE_PARM_DESC(level, "an int");

static bool verbose;
module_param(verbose, bool, 0444);
MODULE_PARM_DESC(verbose, "a bool");

static char *label = "none";
module_param(label, charp, 0444);
MODULE_PARM_DESC(label, "a string pointer");

static unsigned short ports[4];
static int nports;
module_param_array(ports, ushort, &nports, 0444);
MODULE_PARM_DESC(ports, "an array of ushort");

static char tag[16] = "t0";
module_param_string(tag, tag, sizeof(tag), 0600);
MODULE_PARM_DESC(tag, "a fixed-size string");

static long limit = -1;
module_param_named(max, limit, long, 0444);

static int __init load_params_init(void)
{
	pr_info("load_params: level=%d verbose=%d label=%s nports=%d tag=%s max=%ld\n",
		level, verbose, label, nports, tag, limit);
	return 0;
}

static void __exit load_params_exit(void)
{
}

module_init(load_params_init);
module_exit(load_params_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("modforge");
MODULE_DESCRIPTION("modforge load test: parameters");
