# 1 "lib/err.c"
int ok_before(int a);
__GENKSYMS_EXPORT_SYMBOL(ok_before);
int missing_semi(int a)
struct s { int a; int b int c; };
int two names;
int f(int a,, int b);
int g(int a)) ;
}}}
int h(int (a);
struct { ;
__GENKSYMS_EXPORT_SYMBOL(missing_semi);
int ok_after(long x);
__GENKSYMS_EXPORT_SYMBOL(ok_after);
__GENKSYMS_EXPORT_SYMBOL();
__GENKSYMS_EXPORT_SYMBOL(a b);
int trailing(
