// An exception-table entry whose fixup lies in .altinstr_replacement, the one
// section the __ex_table rule black-lists: modpost stops with a fatal error after
// the mismatch warning, so the modpost step of this build fails on purpose.
#include <linux/init.h>
#include <linux/module.h>

asm(".pushsection .altinstr_replacement, \"ax\"\n"
    "secmis_alt_fixup:\n"
    "\tud2\n"
    ".popsection\n"
    ".pushsection .text\n"
    ".globl secmis_black_insn\n"
    "secmis_black_insn:\n"
    "\tud2\n"
    ".popsection\n"
    ".pushsection __ex_table, \"a\"\n"
    "\t.balign 4\n"
    "\t.long secmis_black_insn - .\n"
    "\t.long secmis_alt_fixup - .\n"
    "\t.long 0\n"
    ".popsection\n");

static int __init secmis_init(void)
{
	return 0;
}
module_init(secmis_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modpost section mismatch: __ex_table to .altinstr_replacement (fatal)");
