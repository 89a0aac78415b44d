// An init that returns a positive value (the kernel warns and treats it as success).
#include <linux/module.h>
#include <linux/init.h>

static int __init lc_initpos_init(void) { return 1; }
static void __exit lc_initpos_exit(void) { }
module_init(lc_initpos_init);
module_exit(lc_initpos_exit);
MODULE_LICENSE("GPL");
// Room for ko-mutate's modinfo-set (licence, vermagic changes) without moving sections.
MODULE_INFO(lc_pad, "room-for-modinfo-mutations-0123456789abcdef");
