// Unit tests of the lexer, the parser, type expansion and the CRC, each checked against the
// real genksyms run on the same input.  The parser trace (-d -d, bison's yydebug output)
// shows every token the lexer produced and every reduction, so comparing it is a direct
// check of both stages; -D shows the expanded text the CRC is computed over.
#include <filesystem>
#include <gtest/gtest.h>

#include "core/crc32.h"
#include "genksyms/lalr.h"
#include "tests/support.h"

namespace modforge::test {
namespace {

const char* const kKernels[] = {"6.1", "6.12"};

void expect_same(const std::string& input, const std::vector<std::string>& args) {
  for (const char* k : kKernels) {
    Outcome want = run_program(real_genksyms(k), args, input);
    Outcome got = run_ours(k, args, input);
    EXPECT_EQ(got.out, want.out) << "kernel " << k << "\n" << input;
    EXPECT_EQ(got.err, want.err) << "kernel " << k << "\n" << input;
    EXPECT_EQ(got.exit_code, want.exit_code) << "kernel " << k << "\n" << input;
    EXPECT_EQ(got.types, want.types) << "kernel " << k << "\n" << input;
  }
}

const std::string kHeader = "# 1 \"drivers/x/y.c\"\n";

// Inputs chosen to exercise one lexer rule each: numbers, literals, multi-character
// operators, line markers and directives, whitespace.
const char* const kLexerCases[] = {
    "int a[0x1fUL + 017 + 9lu + 08 + 1ULL + 0x];\n",
    "int a[1.5e3f + .5 + 1. + 2e10 + 3e + 1.e-4L];\n",
    "char *s = \"a\\\"b\" L\"wide\" 'c' L'x' '\\'';\n",
    "int a = 1 <<= 2 >> 3 -> 4 && 5 || 6 == 7 != 8 <= 9 >= 10 += 11 ... ;\n",
    "int f(int, ...);\n__GENKSYMS_EXPORT_SYMBOL(f);\n",
    "# 5 \"include/linux/types.h\" 1 3 4\ntypedef unsigned int u32;\n# 7 \"drivers/x/y.c\" 2\nu32 v;\n__GENKSYMS_EXPORT_SYMBOL(v);\n",
    "#pragma GCC visibility push(default)\nint v;\n  # 3 \"x.c\"\n__GENKSYMS_EXPORT_SYMBOL(v);\n",
    "#\t12\t\"tab.c\"\nint\f\v\rv;\n__GENKSYMS_EXPORT_SYMBOL(v);\n",
    "# 0x10 \"hex.c\"\nint v;\n# 012 \"oct.c\"\nint w;\n# 99999999999 \"big.c\"\nint x;\n__GENKSYMS_EXPORT_SYMBOL(w);\n",
    "int $dollar_ident, _u;\n__GENKSYMS_EXPORT_SYMBOL($dollar_ident);\n",
    "char *s = \"multi\nline\";\nint v;\n__GENKSYMS_EXPORT_SYMBOL(v);\n",
    "int v = 'unterminated;\nint w;\n__GENKSYMS_EXPORT_SYMBOL(w);\n",
    "int v = \"bad\\\nescape\";\nint w;\n__GENKSYMS_EXPORT_SYMBOL(w);\n",
    "# 1 \"\"\nint v;\n# \"noline.c\"\n__GENKSYMS_EXPORT_SYMBOL(v);\n",
};

TEST(GenksymsLexer, TokensMatchRealTrace) {
  for (const char* c : kLexerCases) {
    expect_same(kHeader + c, {"-d", "-d", "-w", "-T", "@T@"});
  }
}

// One case per grammar construct.
const char* const kParserCases[] = {
    "typedef struct { int a; } anon_t; anon_t x; __GENKSYMS_EXPORT_SYMBOL(x);",
    "struct s { int a : 3, : 0; unsigned b : 1; } v; __GENKSYMS_EXPORT_SYMBOL(v);",
    "union u { int i; float f; }; union u g(union u); __GENKSYMS_EXPORT_SYMBOL(g);",
    "enum e { A, B = 5, C, D = A + 1, E }; enum e f(void); __GENKSYMS_EXPORT_SYMBOL(f);",
    "enum { X, Y } anon; int z[Y]; __GENKSYMS_EXPORT_SYMBOL(z);",
    "int (*fp)(int (*)(char), long [3]); __GENKSYMS_EXPORT_SYMBOL(fp);",
    "void (*signal(int, void (*)(int)))(int); __GENKSYMS_EXPORT_SYMBOL(signal);",
    "int a[3][4], *b, c = 5; __GENKSYMS_EXPORT_SYMBOL(a); __GENKSYMS_EXPORT_SYMBOL(c);",
    "static inline int f(int x) { return x; } extern int g(const volatile int * restrict p); "
    "__GENKSYMS_EXPORT_SYMBOL(g);",
    "int f(void) __attribute__((weak)) __asm__(\"real_f\"); __GENKSYMS_EXPORT_SYMBOL(f);",
    "typedef int T; __typeof__(T) a; typeof(a) b; __typeof__(*&a) c; typeof(int *) d; "
    "__GENKSYMS_EXPORT_SYMBOL(a); __GENKSYMS_EXPORT_SYMBOL(b); __GENKSYMS_EXPORT_SYMBOL(c); "
    "__GENKSYMS_EXPORT_SYMBOL(d);",
    "struct s { struct { int a; }; union { int b; long c; }; } v; __GENKSYMS_EXPORT_SYMBOL(v);",
    "_Static_assert(sizeof(int) == 4, \"x\"); asm(\".globl x\"); int v; __GENKSYMS_EXPORT_SYMBOL(v);",
    "__extension__ typedef unsigned long long u64; u64 v; __GENKSYMS_EXPORT_SYMBOL(v);",
    "int f(int T, int) ; typedef int T; int g(T T); __GENKSYMS_EXPORT_SYMBOL(g);",
    "struct fwd; struct fwd *p; __GENKSYMS_EXPORT_SYMBOL(p);",
    "__int128 a; __uint128_t b; _Bool c; __builtin_va_list d; __GENKSYMS_EXPORT_SYMBOL(a); "
    "__GENKSYMS_EXPORT_SYMBOL(d);",
    "int x, y z; int v; __GENKSYMS_EXPORT_SYMBOL(v);",
    "struct s { int a b; int c; } v; __GENKSYMS_EXPORT_SYMBOL(v);",
    "int f(int a b); int g(void); __GENKSYMS_EXPORT_SYMBOL(g);",
    "int v; __GENKSYMS_EXPORT_SYMBOL(nosuch); __GENKSYMS_EXPORT_SYMBOL(v);",
    "int v; int v; long v; __GENKSYMS_EXPORT_SYMBOL(v);",
    "register int r; auto int q; int v __attribute__((aligned(8))) = { 1, { 2 } }; __GENKSYMS_EXPORT_SYMBOL(v);",
};

TEST(GenksymsParser, TraceAndOutputsMatchReal) {
  for (const char* c : kParserCases) {
    expect_same(kHeader + c + "\n", {"-d", "-d", "-w", "-T", "@T@"});
  }
}

// Expansion: definitions from headers are expanded, those of the source file itself are
// not, recursion stops at symbols already on the trail, undefined types become UNKNOWN.
const char* const kExpansionCases[] = {
    "# 1 \"include/a.h\"\nstruct list { struct list *next, *prev; };\n"
    "typedef struct list list_t;\n# 1 \"drivers/x/y.c\"\nint f(list_t *);\n__GENKSYMS_EXPORT_SYMBOL(f);\n",
    "# 1 \"drivers/x/y.c\"\nstruct local { int a; };\nint f(struct local *);\n__GENKSYMS_EXPORT_SYMBOL(f);\n",
    "# 1 \"include/a.h\"\nstruct a { struct b *b; };\nstruct b { struct a *a; enum c e; };\n"
    "# 3 \"drivers/x/y.c\"\nint f(struct a *, struct b *);\n__GENKSYMS_EXPORT_SYMBOL(f);\n",
    "# 1 \"include/a.h\"\nenum e { E1 = 4, E2, E3 = E1 | 8, E4 };\nstruct s { int arr[E4]; };\n"
    "# 3 \"drivers/x/y.c\"\nstruct s v;\n__GENKSYMS_EXPORT_SYMBOL(v);\n",
    "# 1 \"include/a.h\"\ntypedef int t1; typedef t1 t2; typedef t2 *t3;\n"
    "# 3 \"drivers/x/y.c\"\nt3 v, w;\n__GENKSYMS_EXPORT_SYMBOL(v);\n__GENKSYMS_EXPORT_SYMBOL(w);\n",
};

TEST(GenksymsExpansion, DumpAndTypesMatchReal) {
  for (const char* c : kExpansionCases) {
    expect_same(c, {"-D", "-w", "-T", "@T@"});
    expect_same(c, {"-d", "-T", "@T@"});
  }
}

// The CRC: for every export of a real kernel file, our CRC of the text the real tool dumps
// with -D equals the CRC the real tool prints.
TEST(GenksymsCrc, MatchesRealOnCorpusExports) {
  const std::string dir = corpus_dir() + "/6.12";
  int checked = 0;
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (files++ == 8) break;
    const std::string input = read_file((e.path() / "input.i").string());
    Outcome real = run_program(real_genksyms("6.12"), {"-D"}, input);
    std::size_t p = 0;
    while ((p = real.err.find("Export ", p)) != std::string::npos) {
      std::size_t name_end = real.err.find(" == <", p);
      std::size_t text_end = real.err.find(">\n", name_end);
      std::string name = real.err.substr(p + 7, name_end - p - 7);
      std::string text = real.err.substr(name_end + 5, text_end - name_end - 5);
      std::size_t line = real.out.find("#SYMVER " + name + " ");
      ASSERT_NE(line, std::string::npos) << name;
      std::uint32_t want = static_cast<std::uint32_t>(std::stoul(real.out.substr(line + 9 + name.size(), 10), nullptr, 16));
      EXPECT_EQ(sym_crc(text), want) << name;
      ++checked;
      p = text_end;
    }
  }
  std::printf("CRC checked on %d real exports\n", checked);
  EXPECT_GT(checked, 10);
}

TEST(GenksymsCrc, PieceByPieceEqualsWhole) {
  SymCrc c;
  c.add("int ");
  c.add("f ");
  c.add("( void ) ");
  EXPECT_EQ(c.value(), sym_crc("int f ( void ) "));
}

// The tables have bison's shape for this grammar: 191 states, the final one numbered 4
// (the real parser's trace shows these numbers; the trace tests compare them state by state).
TEST(GenksymsTables, BisonShape) {
  const genksyms::Tables& t = genksyms::tables();
  EXPECT_EQ(t.nstates, 191);
  EXPECT_EQ(t.final_state, 4);
}

}  // namespace
}  // namespace modforge::test
