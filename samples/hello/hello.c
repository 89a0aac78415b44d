// SPDX-License-Identifier: GPL-2.0
/*
 * modforge sample: a module's entry and exit points, and every MODULE_* tag of
 * <linux/module.h> that ends up in .modinfo (modinfo prints them; depmod reads alias,
 * softdep and weakdep; the loader reads license, vermagic and intree).
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

/* __init: freed once the module is live; its return value decides whether insmod succeeds */
static int __init hello_init(void)
{
	pr_info("hello: loaded\n");
	return 0;
}

/* __exit: runs on rmmod (dropped entirely when the code is built in) */
static void __exit hello_exit(void)
{
	pr_info("hello: unloaded\n");
}

module_init(hello_init);
module_exit(hello_exit);

MODULE_LICENSE("GPL");			/* anything else than a GPL-compatible string taints (P) */
MODULE_AUTHOR("modforge <modforge@example.org>");
MODULE_DESCRIPTION("modforge sample: entry, exit and every MODULE_* tag");
MODULE_VERSION("1.2.3");		/* also adds a srcversion (MD4 of the sources) */
MODULE_ALIAS("modforge-hello");		/* `modprobe modforge-hello` finds this module */
MODULE_ALIAS("char-major-240-*");
MODULE_SOFTDEP("pre: crc16 post: crc-ccitt");	/* modprobe loads these around it */
#ifdef MODULE_WEAKDEP			/* 6.12's headers have it, 6.1's do not */
MODULE_WEAKDEP("crc-itu-t");
#endif
MODULE_FIRMWARE("modforge/hello.bin");	/* for initramfs tools: files the module may request */
MODULE_INFO(sample, "hello");		/* any other tag=value pair */
