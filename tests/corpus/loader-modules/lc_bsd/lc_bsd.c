// Dual-licensed (GPL-compatible) module using the exporter's GPL-only symbol.
#include <linux/module.h>
#include <linux/init.h>

extern int lc_exp_gpl(int a);
static int __init lc_bsd_init(void) { return lc_exp_gpl(0); }
static void __exit lc_bsd_exit(void) { }
module_init(lc_bsd_init);
module_exit(lc_bsd_exit);
MODULE_LICENSE("Dual BSD/GPL");
