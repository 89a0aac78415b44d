// Claims to be a staging driver (MODULE_INFO(staging, "Y"), as staging's Makefile adds).
#include <linux/module.h>
#include <linux/init.h>

static int __init lc_staging_init(void) { return 0; }
static void __exit lc_staging_exit(void) { }
module_init(lc_staging_init);
module_exit(lc_staging_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(staging, "Y");
// Room for ko-mutate's modinfo-set (licence, vermagic changes) without moving sections.
MODULE_INFO(lc_pad, "room-for-modinfo-mutations-0123456789abcdef");
