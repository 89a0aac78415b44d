// SPDX-License-Identifier: GPL-2.0-only
/* Twelve undefined functions: modpost reports ten and counts the rest. */
#include <linux/module.h>

void modforge_missing_01(void);
void modforge_missing_02(void);
void modforge_missing_03(void);
void modforge_missing_04(void);
void modforge_missing_05(void);
void modforge_missing_06(void);
void modforge_missing_07(void);
void modforge_missing_08(void);
void modforge_missing_09(void);
void modforge_missing_10(void);
void modforge_missing_11(void);
void modforge_missing_12(void);

static int __init diag_undef_many_init(void)
{
	modforge_missing_01();
	modforge_missing_02();
	modforge_missing_03();
	modforge_missing_04();
	modforge_missing_05();
	modforge_missing_06();
	modforge_missing_07();
	modforge_missing_08();
	modforge_missing_09();
	modforge_missing_10();
	modforge_missing_11();
	modforge_missing_12();
	return 0;
}
module_init(diag_undef_many_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge: more undefined symbols than modpost reports");
