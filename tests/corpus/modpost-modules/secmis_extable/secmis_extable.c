// An exception-table entry whose fixup lies in an executable section modpost does
// not know (.secmis.fixup): a section mismatch with the "not in the list of
// authorized sections" explanation, a warning only.
#include <linux/init.h>
#include <linux/module.h>

asm(".pushsection .secmis.fixup, \"ax\"\n"
    "secmis_fixup:\n"
    "\tud2\n"
    ".popsection\n"
    ".pushsection .text\n"
    ".globl secmis_probe_insn\n"
    "secmis_probe_insn:\n"
    "\tud2\n"
    ".popsection\n"
    ".pushsection __ex_table, \"a\"\n"
    "\t.balign 4\n"
    "\t.long secmis_probe_insn - .\n"
    "\t.long secmis_fixup - .\n"
    "\t.long 0\n"
    ".popsection\n");

static int __init secmis_init(void)
{
	return 0;
}
module_init(secmis_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modpost section mismatch: __ex_table to an unknown text section");
