// Data (.data) holding addresses of init code and data: section mismatches from
// .data to .init.text and .init.data under names no whitelist pattern covers.
#include <linux/init.h>
#include <linux/module.h>

struct secmis_hook {
	int (*fn)(void);
	int *flag;
};

static int init_flag __initdata = 1;

static noinline int __init early_fn(void)
{
	return init_flag;
}

struct secmis_hook secmis_hooks = { .fn = early_fn };
int *secmis_flag_ptr = &init_flag;

static int __init secmis_init(void)
{
	return early_fn();
}
module_init(secmis_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modpost section mismatch: .data -> .init.*");
