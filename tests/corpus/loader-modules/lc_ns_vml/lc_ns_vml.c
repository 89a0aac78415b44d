// Imports a vmlinux namespace (CRYPTO_INTERNAL) and uses one of its symbols.
#include <linux/module.h>
#include <linux/init.h>
#include <crypto/internal/skcipher.h>

static int __init lc_ns_vml_init(void)
{
	pr_info("lc_ns_vml: %p\n", crypto_grab_skcipher);
	return 0;
}
static void __exit lc_ns_vml_exit(void) { }
module_init(lc_ns_vml_init);
module_exit(lc_ns_vml_exit);
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(CRYPTO_INTERNAL);
