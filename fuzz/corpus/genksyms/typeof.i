# 1 "drivers/foo/typeof.c"
# 1 "include/linux/types.h" 1
typedef unsigned int u32;
typedef struct { int counter; } atomic_t;
# 2 "drivers/foo/typeof.c" 2
extern int base_var;
typeof(base_var) copy_var;
__typeof__(u32) other_var;
typeof(int (*)(void)) fnptr_var;
__typeof__((struct { int x; }){0}) weird;
typeof(typeof(base_var) *) ptr_var;
static inline __typeof__(((atomic_t *)0)->counter) get(atomic_t *v) { return v->counter; }
int use_typeof(typeof(copy_var) a, __typeof(u32) *b, typeof(u32 (*)[4]) c);
__GENKSYMS_EXPORT_SYMBOL(use_typeof);
__GENKSYMS_EXPORT_SYMBOL(copy_var);
__GENKSYMS_EXPORT_SYMBOL(ptr_var);
__GENKSYMS_EXPORT_SYMBOL(other_var);
