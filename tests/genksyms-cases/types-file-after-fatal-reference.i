# 1 "k.c"
struct refd { int a; };
int ref_fn(struct refd *r);
__GENKSYMS_EXPORT_SYMBOL(ref_fn);
