// GPL module using a GPL-only symbol of vmlinux (synchronize_rcu).  modpost refuses a
// non-GPL licence here, so the corpus changes the licence afterwards with ko-mutate
// (modinfo-set license ..., using the room of the lc_pad entry).
#include <linux/module.h>
#include <linux/init.h>
#include <linux/rcupdate.h>

static int __init lc_gplvml_init(void) { synchronize_rcu(); return 0; }
static void __exit lc_gplvml_exit(void) { }
module_init(lc_gplvml_init);
module_exit(lc_gplvml_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(lc_pad, "room-for-modinfo-mutations-0123456789abcdef");
