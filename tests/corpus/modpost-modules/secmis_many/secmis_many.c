// Several mismatches in one object, in several sections, so the order of the walk
// (section by section, relocation by relocation) shows: .text -> .exit.text,
// .data -> .exit.data, .meminit.text -> .init.text (6.1's XXXINIT_TO_SOME_INIT),
// a PCI fixup pointing to init code, references to local statics that the assembler
// turns into section-symbol relocations, and a function-local static whose symbol
// ("hidden_init.0") modpost prints without its ".0" (read_symbols' remove_dot).
#include <linux/init.h>
#include <linux/module.h>
#include <linux/pci.h>

int secmis_many_text(void);
int secmis_many_local(void);

static int exit_counter __exitdata = 9;
static char init_buf[128] __initdata;
static const char init_msg[] __initconst = "secmis-many";
int secmis_acc;

static noinline void __exit drain(void)
{
	secmis_acc = 0;
}

static noinline int __init fill(void)
{
	return init_buf[3] + init_msg[1];
}

static noinline int __section(".meminit.text") mem_setup(void)
{
	return fill();
}

static void __init secmis_pci_quirk(struct pci_dev *dev)
{
	secmis_acc++;
}
DECLARE_PCI_FIXUP_FINAL(0x1234, 0x5678, secmis_pci_quirk);

int *secmis_exit_ptr = &exit_counter;

noinline int secmis_many_text(void)
{
	drain();
	return init_buf[100] + init_msg[4] + mem_setup();
}

noinline int secmis_many_local(void)
{
	static int hidden_init __initdata = 11;

	return hidden_init;
}

static int __init secmis_init(void)
{
	return fill() + mem_setup();
}

static void __exit secmis_exit(void)
{
	drain();
}

module_init(secmis_init);
module_exit(secmis_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modpost section mismatch: several in one object");
