# 1 "fs/x/src.c"
# 1 "<built-in>"
# 1 "<command-line>"
# 1 "fs/x/src.c"
# 1 "include/linux/hdr.h" 1
struct in_header { int a; long b; struct in_header *next; };
union u_header { int i; float f; };
typedef struct in_header in_header_t;
# 5 "fs/x/src.c" 2
struct in_source { int c; struct in_header h; };
union u_source { char c[4]; };
enum e_source { ES_A, ES_B };
# 1 "fs/x/local.h" 1
struct in_local_header { struct in_source *s; };
# 9 "fs/x/src.c" 2
int src_fn(struct in_header *h, struct in_source *s, union u_header u, union u_source v,
           enum e_source e, in_header_t t, struct in_local_header *l);
__GENKSYMS_EXPORT_SYMBOL(src_fn);
struct in_source src_var;
__GENKSYMS_EXPORT_SYMBOL(src_var);
