// Claims to be in-tree (MODULE_INFO(intree, "Y")): no out-of-tree taint.
#include <linux/module.h>
#include <linux/init.h>

static int __init lc_intree_init(void) { return 0; }
static void __exit lc_intree_exit(void) { }
module_init(lc_intree_init);
module_exit(lc_intree_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(intree, "Y");
// Room for ko-mutate's modinfo-set (licence, vermagic changes) without moving sections.
MODULE_INFO(lc_pad, "room-for-modinfo-mutations-0123456789abcdef");
