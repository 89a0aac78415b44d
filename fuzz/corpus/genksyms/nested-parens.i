# 1 "lib/parens.c"
int (*(*(*nested(int (*)(int (*)(void))))[3])(char))(long);
void (*signal_like(int sig, void (*func)(int)))(int);
int ((((((((((deep))))))))) (int);
int arr2d[3][4][(5)];
int __attribute__((aligned(8), section(("x")))) attr_var __attribute__((unused));
int asm_var asm("real_name");
extern int weird_fn(int, ...) __attribute__((format(printf, 1, 2)));
_Static_assert(sizeof(int) == 4, "int size");
__GENKSYMS_EXPORT_SYMBOL(nested);
__GENKSYMS_EXPORT_SYMBOL(signal_like);
__GENKSYMS_EXPORT_SYMBOL(deep);
__GENKSYMS_EXPORT_SYMBOL(arr2d);
__GENKSYMS_EXPORT_SYMBOL(attr_var);
__GENKSYMS_EXPORT_SYMBOL(asm_var);
__GENKSYMS_EXPORT_SYMBOL(weird_fn);
