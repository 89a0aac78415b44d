// An exception-table entry whose fixup points into data: modpost reports the
// mismatch and then an ERROR ("references non-executable section"), so the
// modpost step of this build fails on purpose (exit status 1).
#include <linux/init.h>
#include <linux/module.h>

int secmis_fixup_data = 7;

asm(".pushsection .text\n"
    ".globl secmis_bad_insn\n"
    "secmis_bad_insn:\n"
    "\tud2\n"
    ".popsection\n"
    ".pushsection __ex_table, \"a\"\n"
    "\t.balign 4\n"
    "\t.long secmis_bad_insn - .\n"
    "\t.long secmis_fixup_data - .\n"
    "\t.long 0\n"
    ".popsection\n");

static int __init secmis_init(void)
{
	return 0;
}
module_init(secmis_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modpost section mismatch: __ex_table to data (error)");
