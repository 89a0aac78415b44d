// SPDX-License-Identifier: GPL-2.0
/*
 * modforge sample: module parameters of every type <linux/moduleparam.h> has, an array
 * (module_param_array) and a fixed-size string (module_param_string). Set them at load time
 * (insmod params.ko p_int=-5 p_array=1,2,3 ...); a non-zero permission makes each one a file
 * under /sys/module/params/parameters/ (0644: root may change it there too).
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

static unsigned char p_byte = 1;
module_param(p_byte, byte, 0444);
MODULE_PARM_DESC(p_byte, "unsigned char");

static short p_short = -2;
module_param(p_short, short, 0444);
MODULE_PARM_DESC(p_short, "short");

static unsigned short p_ushort = 3;
module_param(p_ushort, ushort, 0444);
MODULE_PARM_DESC(p_ushort, "unsigned short");

static int p_int = -4;
module_param(p_int, int, 0644);
MODULE_PARM_DESC(p_int, "int (writable in sysfs)");

static unsigned int p_uint = 5;
module_param(p_uint, uint, 0444);
MODULE_PARM_DESC(p_uint, "unsigned int");

static long p_long = -6;
module_param(p_long, long, 0444);
MODULE_PARM_DESC(p_long, "long");

static unsigned long p_ulong = 7;
module_param(p_ulong, ulong, 0444);
MODULE_PARM_DESC(p_ulong, "unsigned long");

static unsigned long long p_ullong = 8;
module_param(p_ullong, ullong, 0444);
MODULE_PARM_DESC(p_ullong, "unsigned long long");

static unsigned int p_hexint = 0x9;
module_param(p_hexint, hexint, 0444);	/* read back as 0x%08x */
MODULE_PARM_DESC(p_hexint, "unsigned int, shown in hex");

static char *p_charp = "ten";
module_param(p_charp, charp, 0444);	/* points into a kmalloc'd copy of the value */
MODULE_PARM_DESC(p_charp, "char pointer");

static bool p_bool;
module_param(p_bool, bool, 0444);	/* y/n/1/0, read back as Y or N */
MODULE_PARM_DESC(p_bool, "bool");

static bool p_enable;
module_param(p_enable, bool_enable_only, 0644);	/* may be set, never cleared again */
MODULE_PARM_DESC(p_enable, "bool that can only be switched on");

static bool p_invbool;
module_param(p_invbool, invbool, 0444);	/* stored inverted */
MODULE_PARM_DESC(p_invbool, "bool, stored inverted");

static int p_bint;
module_param(p_bint, bint, 0444);	/* a bool kept in an int */
MODULE_PARM_DESC(p_bint, "bool in an int");

static int p_array[4] = { 1, 2 };
static unsigned int p_array_n = 2;	/* how many elements the user gave */
module_param_array(p_array, int, &p_array_n, 0444);
MODULE_PARM_DESC(p_array, "up to 4 ints, comma-separated");

static char p_string[16] = "sixteen";
module_param_string(p_string, p_string, sizeof(p_string), 0444);	/* copied into the array */
MODULE_PARM_DESC(p_string, "a string of at most 15 characters");

static int p_value = 11;
module_param_named(p_named, p_value, int, 0444);	/* the user's name differs from the variable's */
MODULE_PARM_DESC(p_named, "int under another name");

static int __init params_init(void)
{
	pr_info("params: byte=%u short=%d ushort=%u int=%d uint=%u long=%ld ulong=%lu ullong=%llu hexint=%#x\n",
		p_byte, p_short, p_ushort, p_int, p_uint, p_long, p_ulong, p_ullong, p_hexint);
	pr_info("params: charp=%s bool=%d enable=%d invbool=%d bint=%d array[%u]={%d,%d,...} string=%s named=%d\n",
		p_charp, p_bool, p_enable, p_invbool, p_bint, p_array_n, p_array[0], p_array[1], p_string, p_value);
	return 0;
}

static void __exit params_exit(void)
{
}

module_init(params_init);
module_exit(params_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("modforge sample: parameters of every type");
