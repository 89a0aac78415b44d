// Ordinary code (.text) that reaches into init code and data: section mismatches
// from .text to .init.text and .init.data, one of them into the middle of an array
// (no symbol near the target, so the tools print an address or "(unknown)").
#include <linux/init.h>
#include <linux/module.h>

int secmis_text_call(int x);
int secmis_text_read(void);
int secmis_text_middle(void);

static int init_value __initdata = 5;
static char init_table[96] __initdata = { 1, 2, 3 };

static noinline int __init setup_thing(int x)
{
	return x + init_value;
}

noinline int secmis_text_call(int x)
{
	return setup_thing(x);
}

noinline int secmis_text_read(void)
{
	return init_value;
}

noinline int secmis_text_middle(void)
{
	return init_table[60];
}

static int __init secmis_init(void)
{
	return 0;
}
module_init(secmis_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modpost section mismatch: .text -> .init.*");
