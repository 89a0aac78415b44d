// The smallest well-formed module: the base for most mutations.
#include <linux/module.h>
#include <linux/init.h>

static int lc_plain_value = 42;
static int __init lc_plain_init(void) { pr_info("lc_plain: %d\n", lc_plain_value); return 0; }
static void __exit lc_plain_exit(void) { pr_info("lc_plain: bye\n"); }
module_init(lc_plain_init);
module_exit(lc_plain_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("modforge");
MODULE_DESCRIPTION("loader corpus: plain module");
MODULE_VERSION("1.0");
// Room for ko-mutate's modinfo-set (licence, vermagic changes) without moving sections.
MODULE_INFO(lc_pad, "room-for-modinfo-mutations-0123456789abcdef");
