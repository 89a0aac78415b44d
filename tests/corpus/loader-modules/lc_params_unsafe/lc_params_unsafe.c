// An unsafe parameter (module_param_unsafe): setting it taints the kernel.
#include <linux/module.h>
#include <linux/init.h>
#include <linux/moduleparam.h>

static int risky;
module_param_unsafe(risky, int, 0644);
static int __init lc_params_unsafe_init(void) { return 0; }
static void __exit lc_params_unsafe_exit(void) { }
module_init(lc_params_unsafe_init);
module_exit(lc_params_unsafe_exit);
MODULE_LICENSE("GPL");
