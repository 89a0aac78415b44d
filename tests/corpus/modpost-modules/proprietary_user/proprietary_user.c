// SPDX-License-Identifier: GPL-2.0-only
/*
 * A module with a proprietary licence that uses only symbols exported without _GPL, so
 * modpost accepts it; it also has parameters and a device table (platform).
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/delay.h>
#include <linux/slab.h>
#include <linux/mod_devicetable.h>

static int delay_ms = 5;
module_param(delay_ms, int, 0644);
MODULE_PARM_DESC(delay_ms, "sleep on load, in milliseconds");

static char *tag = "modforge";
module_param(tag, charp, 0444);

static const struct platform_device_id proprietary_ids[] = {
	{ .name = "modforge-prop" },
	{ .name = "modforge-prop2", .driver_data = 2 },
	{ }
};
MODULE_DEVICE_TABLE(platform, proprietary_ids);

static int __init proprietary_user_init(void)
{
	void *p = kmalloc(32, GFP_KERNEL);

	msleep(delay_ms);
	printk(KERN_INFO "%s: %p\n", tag, p);
	kfree(p);
	return 0;
}
module_init(proprietary_user_init);

static void __exit proprietary_user_exit(void)
{
}
module_exit(proprietary_user_exit);

MODULE_AUTHOR("modforge");
MODULE_LICENSE("Proprietary");
