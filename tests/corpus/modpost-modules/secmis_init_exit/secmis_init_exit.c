// init code that uses exit code, and exit code that uses init code and data.
#include <linux/init.h>
#include <linux/module.h>

static int init_state __initdata = 3;
void (*secmis_cleanup_hook)(void);
int secmis_seen;

static noinline int __init prepare(void)
{
	return init_state;
}

static void __exit secmis_exit(void)
{
	secmis_seen = prepare();	/* .exit.text -> .init.text */
	secmis_seen += init_state;	/* .exit.text -> .init.data */
}

static int __init secmis_init(void)
{
	secmis_cleanup_hook = secmis_exit;	/* .init.text -> .exit.text */
	return 0;
}

module_init(secmis_init);
module_exit(secmis_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modpost section mismatch: init <-> exit");
