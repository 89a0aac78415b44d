// Exports of init and exit symbols: 6.1 reports them from its ___ksymtab+*
// sections; 6.12 from the .export_symbol section (check_export_symbol, with -M).
#include <linux/init.h>
#include <linux/module.h>

int secmis_init_func(void);
void secmis_exit_func(void);
int secmis_ok_func(void);

int secmis_init_data __initdata = 4;
EXPORT_SYMBOL(secmis_init_data);

int __init secmis_init_func(void)
{
	return secmis_init_data;
}
EXPORT_SYMBOL_GPL(secmis_init_func);

void __exit secmis_exit_func(void)
{
}
EXPORT_SYMBOL(secmis_exit_func);

int secmis_ok_func(void)
{
	return 1;
}
EXPORT_SYMBOL(secmis_ok_func);

static int __init secmis_init(void)
{
	return secmis_init_func() - 4;
}

static void __exit secmis_exit(void)
{
	secmis_exit_func();
}

module_init(secmis_init);
module_exit(secmis_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modpost section mismatch: exported init/exit symbols");
