// One parameter of every standard type, arrays with bounds and a fixed-size string.
#include <linux/module.h>
#include <linux/init.h>
#include <linux/moduleparam.h>

static bool p_bool;
module_param(p_bool, bool, 0644);
static bool p_invbool;
module_param(p_invbool, invbool, 0644);
static char *p_charp = "def";
module_param(p_charp, charp, 0644);
static unsigned char p_byte;
module_param(p_byte, byte, 0644);
static short p_short;
module_param(p_short, short, 0644);
static unsigned short p_ushort;
module_param(p_ushort, ushort, 0644);
static int p_int;
module_param(p_int, int, 0644);
static unsigned int p_uint;
module_param(p_uint, uint, 0644);
static long p_long;
module_param(p_long, long, 0644);
static unsigned long p_ulong;
module_param(p_ulong, ulong, 0644);
static unsigned int p_hexint;
module_param(p_hexint, hexint, 0644);
static int p_arr[4];
static int p_arr_n;
module_param_array(p_arr, int, &p_arr_n, 0644);
static bool p_barr[2];
module_param_array(p_barr, bool, NULL, 0444);
static char p_str[8] = "abc";
module_param_string(p_str, p_str, sizeof(p_str), 0644);
static int p_ro = 3;
module_param(p_ro, int, 0444);
static int p_named;
module_param_named(alias_name, p_named, int, 0644);

static int __init lc_params_init(void)
{
	pr_info("lc_params: int=%d arr_n=%d str=%s\n", p_int, p_arr_n, p_str);
	return 0;
}
static void __exit lc_params_exit(void) { }
module_init(lc_params_init);
module_exit(lc_params_exit);
MODULE_LICENSE("GPL");
// Room for ko-mutate's modinfo-set (licence, vermagic changes) without moving sections.
MODULE_INFO(lc_pad, "room-for-modinfo-mutations-0123456789abcdef");
