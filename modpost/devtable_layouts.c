/* Prints the C++ statements of devtable_layout_<version>.inc: the x86-64 layout of every
 * struct, and the value of every constant, that file2alias reads from
 * linux/mod_devicetable.h (the list is devtable_fields.def).  Built and run by
 * gen-devtable-layouts.sh with -DDEVTABLE_HEADER="<tree>/include/linux/mod_devicetable.h".
 *
 * The header is compiled in user space exactly as the real file2alias.c compiles it: with
 * the ELF-class kernel_ulong_t, the __u* types and the 16-byte uuid types defined first,
 * so the C types (and hence the sizes file2alias prints with) are the ones modpost sees. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef uint64_t kernel_ulong_t;
#define BITS_PER_LONG 64
typedef uint32_t __u32;
typedef uint16_t __u16;
typedef unsigned char __u8;
typedef struct { __u8 b[16]; } guid_t;
typedef struct { __u8 b[16]; } uuid_t;
typedef struct { __u8 b[16]; } uuid_le;
#define UUID_STRING_LEN 36

#include DEVTABLE_HEADER

#define MEMBER(s, f) (((struct s *)0)->f)
#define IS_SIGNED(x) ((__typeof__(x))-1 < 0)

static int failed;

static void check_fmt(const char *name, const char *fmt) {
  size_t n = strlen(fmt);
  /* The alias is the prefix followed by the string: only "<prefix>%s" formats fit. */
  if (n < 2 || strcmp(fmt + n - 2, "%s") != 0 || strchr(fmt, '%') != fmt + n - 2) {
    fprintf(stderr, "%s: unexpected format \"%s\"\n", name, fmt);
    failed = 1;
  }
}

static void print_cstring(const char *s, size_t n) {
  putchar('"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') printf("\\%c", c);
    else if (c >= 0x20 && c < 0x7f) putchar(c);
    else printf("\\x%02x\"\"", c);
  }
  putchar('"');
}

/* The byte and bits a one-byte bitfield occupies: set it to all ones in a zeroed struct. */
#define BITS(s, f)                                                                        \
  do {                                                                                    \
    struct s x;                                                                           \
    memset(&x, 0, sizeof x);                                                              \
    x.f = -1;                                                                             \
    const unsigned char *p = (const unsigned char *)&x;                                   \
    int at = -1, count = 0;                                                               \
    for (size_t i = 0; i < sizeof x; i++)                                                 \
      if (p[i]) { at = (int)i; count++; }                                                 \
    if (count != 1) { fprintf(stderr, #s "." #f ": not within one byte\n"); failed = 1; } \
    printf("L." #s "." #f "_ = {%d, 1, 1, false, 0x%02x};\n", at, at >= 0 ? p[at] : 0);  \
  } while (0)

int main(void) {
#define DT_SINCE_6_12(...) DT_IF_6_12(__VA_ARGS__)
#ifdef DEVTABLE_6_12
#define DT_IF_6_12(...) __VA_ARGS__
#else
#define DT_IF_6_12(...)
#endif
#define DT_STRUCT(s) printf("L." #s ".size = %zu;\nL." #s ".present = true;\n", sizeof(struct s));
#define DT_END(s)
#define DT_INT(s, f)                                                                      \
  printf("L." #s "." #f "_ = {%zu, %zu, %zu, %s, 0};\n", offsetof(struct s, f),           \
         sizeof(MEMBER(s, f)), sizeof(MEMBER(s, f)), IS_SIGNED(MEMBER(s, f)) ? "true" : "false");
#define DT_INTS(s, f)                                                                     \
  printf("L." #s "." #f "_ = {%zu, %zu, %zu, %s, 0};\n", offsetof(struct s, f),           \
         sizeof(MEMBER(s, f)), sizeof(MEMBER(s, f)[0]),                                   \
         IS_SIGNED(MEMBER(s, f)[0]) ? "true" : "false");
#define DT_BYTES(s, f)                                                                    \
  printf("L." #s "." #f "_ = {%zu, %zu, 1, false, 0};\n", offsetof(struct s, f),          \
         sizeof(MEMBER(s, f)));
#define DT_RECS(s, f)                                                                     \
  printf("L." #s "." #f "_ = {%zu, %zu, %zu, false, 0};\n", offsetof(struct s, f),        \
         sizeof(MEMBER(s, f)), sizeof(MEMBER(s, f)[0]));
#define DT_ELEM_BYTES(s, a, f)                                                            \
  printf("L." #s "." #a "_" #f "_ = {%zu, %zu, 1, false, 0};\n",                          \
         (size_t)((const char *)&MEMBER(s, a)[0].f - (const char *)&MEMBER(s, a)[0]),      \
         sizeof(MEMBER(s, a)[0].f));
#define DT_BITS(s, f) BITS(s, f);
#define DT_ANY(s, f, expr)                                                                \
  {                                                                                       \
    __typeof__(MEMBER(s, f)) v = (expr);                                                  \
    printf("L." #s "." #f "_any = {%lluULL, %s};\n", (unsigned long long)v,               \
           v == (expr) ? "true" : "false");                                               \
  }
#define DT_CONST(name) printf("L.c." #name " = %lluULL;\n", (unsigned long long)(name));
#define DT_STR(name)                                                                      \
  printf("L.c." #name " = ");                                                             \
  print_cstring(name, strlen(name));                                                      \
  printf(";\n");
#define DT_FMT(name)                                                                      \
  check_fmt(#name, name);                                                                 \
  printf("L.c." #name " = ");                                                             \
  print_cstring(name, strlen(name) - 2);                                                  \
  printf(";\n");
#include "devtable_fields.def"
  return failed;
}
