// Uses the namespaced symbol without MODULE_IMPORT_NS (built with
// CONFIG_MODULE_ALLOW_MISSING_NAMESPACE_IMPORTS=y on make's command line, so modpost only
// warns; the kernel refuses).
#include <linux/module.h>
#include <linux/init.h>

extern int lc_exp_ns(int a);
static int __init lc_ns_noimp_init(void) { return lc_exp_ns(1) - 0; }
static void __exit lc_ns_noimp_exit(void) { }
module_init(lc_ns_noimp_init);
module_exit(lc_ns_noimp_exit);
MODULE_LICENSE("GPL");
// Room for ko-mutate's modinfo-set (licence, vermagic changes) without moving sections.
MODULE_INFO(lc_pad, "room-for-modinfo-mutations-0123456789abcdef");
