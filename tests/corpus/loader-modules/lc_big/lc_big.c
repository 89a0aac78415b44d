// Larger data, bss and rodata, a few vmlinux imports (kmalloc, kfree, strscpy) and a
// second code section (.init.text/.exit.text besides .text): varied layout sizes.
#include <linux/module.h>
#include <linux/init.h>
#include <linux/slab.h>
#include <linux/string.h>

static char lc_big_buf[20000] = { 1 };
static char lc_big_bss[70000];
static const char lc_big_ro[3000] = "read-only";
static char *lc_big_mem;

noinline int lc_big_work(int n)
{
	int i, s = 0;
	for (i = 0; i < n && i < (int)sizeof(lc_big_buf); i++)
		s += lc_big_buf[i] + lc_big_bss[i] + lc_big_ro[i % sizeof(lc_big_ro)];
	return s;
}

static int __init lc_big_init(void)
{
	lc_big_mem = kmalloc(64, GFP_KERNEL);
	if (!lc_big_mem)
		return -ENOMEM;
	strscpy(lc_big_mem, "lc_big", 64);
	pr_info("%s: %d\n", lc_big_mem, lc_big_work(10));
	return 0;
}
static void __exit lc_big_exit(void) { kfree(lc_big_mem); }
module_init(lc_big_init);
module_exit(lc_big_exit);
MODULE_LICENSE("GPL");
// Room for ko-mutate's modinfo-set (licence, vermagic changes) without moving sections.
MODULE_INFO(lc_pad, "room-for-modinfo-mutations-0123456789abcdef");
