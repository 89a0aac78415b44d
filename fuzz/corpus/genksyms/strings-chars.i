# 1 "lib/str.c"
struct sc { char c[sizeof("a\"b{}")]; int d[sizeof('\'')]; int e[L'x']; };
const char *s1 = "multi
line string";
char c1 = '{';
char c2 = '}';
char c3 = '\\';
int after_strings(struct sc *p);
__GENKSYMS_EXPORT_SYMBOL(after_strings);
char *unterminated = "abc;
int after_bad_string(void);
__GENKSYMS_EXPORT_SYMBOL(after_bad_string);
