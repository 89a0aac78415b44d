// The C half of a module whose assembler half puts data in sections without
// "a"/"aw" flags (see secmis_nonalloc_data.S).
#include <linux/init.h>
#include <linux/module.h>

static int __init secmis_init(void)
{
	return 0;
}
module_init(secmis_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modpost: unexpected non-allocatable sections");
