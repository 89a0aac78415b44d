// .data objects whose names the whitelists accept when they point to init/exit
// code: *_ops, *_probe, *_console (both versions); *_template, *_timer, *_sht,
// *_probe_one and *driver (6.1 only, so 6.12 reports them).  A *driver object
// pointing to .exit.text is hidden by 6.1 unless modpost runs with -W.
#include <linux/init.h>
#include <linux/module.h>

struct secmis_ops {
	int (*init)(void);
	void (*exit)(void);
};

static noinline int __init init_fn(void)
{
	return 0;
}

static noinline void __exit exit_fn(void)
{
}

static noinline int __section(".meminit.text") meminit_fn(void)
{
	return 1;
}

struct secmis_ops secmis_ops = { init_fn, exit_fn };
struct secmis_ops secmis_probe = { init_fn, exit_fn };
struct secmis_ops secmis_console = { init_fn, exit_fn };
struct secmis_ops secmis_template = { init_fn, exit_fn };
struct secmis_ops secmis_timer = { init_fn, exit_fn };
struct secmis_ops secmis_sht = { init_fn, exit_fn };
struct secmis_ops secmis_probe_one = { init_fn, exit_fn };
struct secmis_ops secmis_meminit_driver = { meminit_fn, NULL };
struct secmis_ops secmis_exit_driver = { NULL, exit_fn };
struct secmis_ops secmis_plain = { init_fn, exit_fn };

static int __init secmis_init(void)
{
	return init_fn() + meminit_fn();
}

static void __exit secmis_exit(void)
{
	exit_fn();
}

module_init(secmis_init);
module_exit(secmis_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modpost section mismatch: symbol-name whitelists");
