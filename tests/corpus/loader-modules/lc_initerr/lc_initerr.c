// An init that fails: the module goes away again with the init's error.
#include <linux/module.h>
#include <linux/init.h>

static int __init lc_initerr_init(void) { pr_info("lc_initerr: failing\n"); return -ENODEV; }
static void __exit lc_initerr_exit(void) { }
module_init(lc_initerr_init);
module_exit(lc_initerr_exit);
MODULE_LICENSE("GPL");
