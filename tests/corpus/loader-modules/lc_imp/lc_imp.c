// Importer of the exporter's plain symbol (GPL licence).
#include <linux/module.h>
#include <linux/init.h>

extern int lc_exp_add(int a, int b);
static int __init lc_imp_init(void) { pr_info("lc_imp: %d\n", lc_exp_add(2, 3)); return 0; }
static void __exit lc_imp_exit(void) { }
module_init(lc_imp_init);
module_exit(lc_imp_exit);
MODULE_LICENSE("GPL");
// Room for ko-mutate's modinfo-set (licence, vermagic changes) without moving sections.
MODULE_INFO(lc_pad, "room-for-modinfo-mutations-0123456789abcdef");
