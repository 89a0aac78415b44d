// No module_exit: the kernel refuses rmmod (EBUSY) unless forced.
#include <linux/module.h>
#include <linux/init.h>

static int __init lc_noexit_init(void) { return 0; }
module_init(lc_noexit_init);
MODULE_LICENSE("GPL");
// Room for ko-mutate's modinfo-set (licence, vermagic changes) without moving sections.
MODULE_INFO(lc_pad, "room-for-modinfo-mutations-0123456789abcdef");
