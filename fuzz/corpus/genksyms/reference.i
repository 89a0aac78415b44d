
# 1 "kernel/ref.c"
struct refd { int a; long b; };
int ref_fn(struct refd *r);
__GENKSYMS_EXPORT_SYMBOL(ref_fn);
int changed_fn(int x);
__GENKSYMS_EXPORT_SYMBOL(changed_fn);
int extern_var;
__GENKSYMS_EXPORT_SYMBOL(extern_var);

%%
s#refd struct refd { int a ; long b ; }
ref_fn int ref_fn ( s#refd * )
changed_fn int changed_fn ( long x )
override extern_var extern int extern_var
s#gone struct gone { "string with spaces" }
x#bad weird
