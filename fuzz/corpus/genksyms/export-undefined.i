# 1 "kernel/undef.c"
struct only_declared;
int defined_fn(struct only_declared *p, struct never_seen *q);
__GENKSYMS_EXPORT_SYMBOL(defined_fn);
__GENKSYMS_EXPORT_SYMBOL(not_defined_anywhere);
__GENKSYMS_EXPORT_SYMBOL(defined_fn);
typedef int late_t;
__GENKSYMS_EXPORT_SYMBOL(late_t);
