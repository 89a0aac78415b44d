// Module parameters kept in init data (the real-world case: kernel_param lives in
// "__param", which no rule checks) and .data objects named like the parameter
// structures, which the whitelist's "__param" patterns accept -- except a
// "__param*" (not "__param_ops_*") object pointing to init code.
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

static int early_level __initdata = 2;
module_param(early_level, int, 0);

struct secmis_fake_param {
	const char *name;
	void *arg;
};

static noinline int __init init_set(void)
{
	return early_level;
}

/* pattern 1: .data -> .init.data from __param*: no warning */
struct secmis_fake_param __param_secmis_fake = { "fake", &early_level };
/* pattern 1a: .data -> .init.text from __param_ops_*: no warning */
int (*__param_ops_secmis_fake)(void) = init_set;
/* neither: __param* (not _ops_) -> .init.text is reported */
struct secmis_fake_param __param_secmis_code = { "code", init_set };

static int __init secmis_init(void)
{
	return init_set() - early_level;
}
module_init(secmis_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modpost section mismatch: __param whitelist");
