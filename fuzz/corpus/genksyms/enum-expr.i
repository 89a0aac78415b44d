# 1 "kernel/enum.c"
# 1 "include/linux/e.h" 1
enum flags { F_A = 1 << 0, F_B = (1 << 1) | F_A, F_C = sizeof(int) * 8 - 1, F_D, F_E = -3, F_F = F_E + (2 * (3 + 4)), };
enum { ANON_X = 0x10, ANON_Y, ANON_Z = ANON_Y ? 7 : 9 };
enum small { S0, S1, S2 = S0 + S1 + 1, S3 };
typedef enum { T_A, T_B = 'x', T_C = "str"[0] } tenum_t;
struct holder { enum flags f; enum small s; int arr[F_B + S3]; tenum_t t; };
# 2 "kernel/enum.c" 2
enum local { L_A = F_C, L_B };
int enum_fn(enum flags f, struct holder *h, enum local l, tenum_t t);
__GENKSYMS_EXPORT_SYMBOL(enum_fn);
int arr_var[ANON_Z + S2];
__GENKSYMS_EXPORT_SYMBOL(arr_var);
