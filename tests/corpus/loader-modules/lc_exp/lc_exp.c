// Exporter: a plain, a GPL-only and a namespaced (LC_NS) symbol, each used by an importer.
#include <linux/module.h>
#include <linux/init.h>

int lc_exp_add(int a, int b) { return a + b; }
EXPORT_SYMBOL(lc_exp_add);
int lc_exp_gpl(int a) { return a * 2; }
EXPORT_SYMBOL_GPL(lc_exp_gpl);
int lc_exp_ns(int a) { return a - 1; }
EXPORT_SYMBOL_NS_GPL(lc_exp_ns, LC_NS);

static int __init lc_exp_init(void) { pr_info("lc_exp: loaded\n"); return 0; }
static void __exit lc_exp_exit(void) { pr_info("lc_exp: unloaded\n"); }
module_init(lc_exp_init);
module_exit(lc_exp_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("loader corpus: exporter");
