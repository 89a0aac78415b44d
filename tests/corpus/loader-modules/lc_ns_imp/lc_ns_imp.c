// Uses the namespaced symbol and imports its namespace.
#include <linux/module.h>
#include <linux/init.h>

extern int lc_exp_ns(int a);
static int __init lc_ns_imp_init(void) { pr_info("lc_ns_imp: %d\n", lc_exp_ns(1)); return 0; }
static void __exit lc_ns_imp_exit(void) { }
module_init(lc_ns_imp_init);
module_exit(lc_ns_imp_exit);
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(LC_NS);
