// GPL importer of the exporter's GPL-only symbol.
#include <linux/module.h>
#include <linux/init.h>

extern int lc_exp_gpl(int a);
static int __init lc_imp_gpl_init(void) { pr_info("lc_imp_gpl: %d\n", lc_exp_gpl(4)); return 0; }
static void __exit lc_imp_gpl_exit(void) { }
module_init(lc_imp_gpl_init);
module_exit(lc_imp_gpl_exit);
MODULE_LICENSE("GPL v2");
// Room for ko-mutate's modinfo-set (licence, vermagic changes) without moving sections.
MODULE_INFO(lc_pad, "room-for-modinfo-mutations-0123456789abcdef");
