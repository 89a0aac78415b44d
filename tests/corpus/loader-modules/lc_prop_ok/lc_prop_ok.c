// Proprietary module using only a plain export: loads, taints P.
#include <linux/module.h>
#include <linux/init.h>

extern int lc_exp_add(int a, int b);
static int __init lc_prop_ok_init(void) { return lc_exp_add(0, 0); }
static void __exit lc_prop_ok_exit(void) { }
module_init(lc_prop_ok_init);
module_exit(lc_prop_ok_exit);
MODULE_LICENSE("Proprietary");
