// Bad input, compared with the real genksyms: real kernel files cut off at arbitrary
// points, small syntax errors, random bytes and random token soups, and command lines that
// getopt rejects or treats in its own peculiar ways.  stdout, stderr, the exit code and the
// -T file must be byte-identical to what the real tool (for the same kernel) produces.
//
// Real kernel files come from $MODFORGE_CORPUS: either the golden corpus layout
// (<dir>/<version>/<case>/input.i) or a flat one (<dir>/<case>/input.i) for development.
//
// The real genksyms has inputs on which it allocates until malloc fails (e.g.
// "int a, b(void);", see tests/genksyms-cases/), and we reproduce that; so the real tool runs
// here under an address-space and CPU limit, and inputs on which it ran out of memory or
// was killed are not given to our in-process implementation (they are counted, not compared).
//
// Setting MODFORGE_SAVE_DIVERGENCES=<dir> saves every input that differs there.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <gtest/gtest.h>
#include <random>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "tests/support.h"

namespace modforge::test {
namespace {

namespace fs = std::filesystem;
using namespace std::string_view_literals;

const char* const kKernels[] = {"6.1", "6.12"};

// ---- running the real tool with limits -----------------------------------------------------

struct RealRun {
  Outcome outcome;
  bool normal = false;  // exited on its own and did not run out of memory
};

// A started real genksyms; wait() collects it.  Started before our in-process run so that
// the two overlap on a second core.
class RealProcess {
public:
  RealProcess(std::string_view kernel, const std::vector<std::string>& args, std::string_view input) {
    path_ = real_genksyms(kernel);
    if (access(path_.c_str(), X_OK) != 0) throw std::runtime_error("real tool missing: " + path_);
    dir_ = temp_dir();
    types_ = dir_ + "/types";
    write_file(dir_ + "/stdin", input);
    std::vector<std::string> argv_s = {path_};
    for (const auto& a : args) {
      if (a == "@T@") want_types_ = true;
      argv_s.push_back(a == "@T@" ? types_ : a);
    }
    const std::string in = dir_ + "/stdin", out = dir_ + "/stdout", err = dir_ + "/stderr";
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      struct rlimit as = {1ul << 30, 1ul << 30}, cpu = {20, 20};
      setrlimit(RLIMIT_AS, &as);
      setrlimit(RLIMIT_CPU, &cpu);
      int i = open(in.c_str(), O_RDONLY), o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644),
          e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(i, 0);
      dup2(o, 1);
      dup2(e, 2);
      execv(path_.c_str(), argv.data());
      _exit(127);
    }
  }

  RealProcess(const RealProcess&) = delete;
  RealProcess& operator=(const RealProcess&) = delete;
  ~RealProcess() {
    if (pid_ > 0)  // not collected (an exception came first): do not leave a zombie
      while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
      }
  }

  RealRun wait() {
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0) {
      if (errno != EINTR) throw std::runtime_error("waitpid failed");
    }
    pid_ = -1;
    RealRun r;
    r.outcome.out = read_file(dir_ + "/stdout");
    r.outcome.err = read_file(dir_ + "/stderr");
    r.outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    for (std::size_t p; (p = r.outcome.err.find(path_)) != std::string::npos;)
      r.outcome.err.replace(p, path_.size(), "genksyms");
    if (want_types_ && fs::exists(types_)) r.outcome.types = read_file(types_);
    r.normal = WIFEXITED(status) && r.outcome.err.find("out of memory\n") == std::string::npos;
    std::error_code ec;
    fs::remove_all(dir_, ec);
    return r;
  }

private:
  std::string path_, dir_, types_;
  bool want_types_ = false;
  pid_t pid_ = -1;
};

// ---- comparing -------------------------------------------------------------------------------

std::string printable(std::string_view s) {
  std::string o;
  for (unsigned char c : s) {
    if (c == '\n') o += "\\n";
    else if (c == '\\') o += "\\\\";
    else if (c < 0x20 || c >= 0x7f) {
      char b[8];
      std::snprintf(b, sizeof b, "\\x%02x", c);
      o += b;
    } else o += static_cast<char>(c);
  }
  return o;
}

// "" when equal; otherwise where and how the two first differ (never the whole text).
std::string first_difference(const std::string& real, const std::string& ours) {
  if (real == ours) return "";
  std::size_t i = 0;
  while (i < real.size() && i < ours.size() && real[i] == ours[i]) ++i;
  std::size_t line = 1 + static_cast<std::size_t>(std::count(real.begin(), real.begin() + static_cast<long>(i), '\n'));
  std::size_t from = real.rfind('\n', i == 0 ? 0 : i - 1);
  from = (from == std::string::npos || i == 0) ? 0 : from + 1;
  auto excerpt = [&](const std::string& s) {
    std::size_t end = s.find('\n', i);
    end = end == std::string::npos ? s.size() : end + 1;
    end = std::min(end, from + 300);
    return "\"" + printable(s.substr(std::min(from, s.size()), end - std::min(from, s.size()))) + "\"";
  };
  return "sizes " + std::to_string(real.size()) + " vs " + std::to_string(ours.size()) + ", first difference at byte " +
         std::to_string(i) + " (line " + std::to_string(line) + "): real " + excerpt(real) + ", ours " + excerpt(ours);
}

std::string differences(const Outcome& real, const Outcome& ours) {
  std::string why;
  if (auto d = first_difference(real.out, ours.out); !d.empty()) why += "\n  stdout: " + d;
  if (auto d = first_difference(real.err, ours.err); !d.empty()) why += "\n  stderr: " + d;
  if (real.exit_code != ours.exit_code)
    why += "\n  exit: real " + std::to_string(real.exit_code) + ", ours " + std::to_string(ours.exit_code);
  if (auto d = first_difference(real.types, ours.types); !d.empty()) why += "\n  -T file: " + d;
  return why;
}

std::string args_text(const std::vector<std::string>& args) {
  std::string s;
  for (const auto& a : args) {
    if (!s.empty()) s += ' ';
    s += a.empty() ? std::string("''") : printable(a);
  }
  return "{" + s + "}";
}

void save_divergence(const std::string& label, std::string_view input) {
  const char* dir = std::getenv("MODFORGE_SAVE_DIVERGENCES");
  if (!dir || !*dir) return;
  std::string name;
  for (char c : label) name += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') ? c : '_';
  fs::create_directories(dir);
  write_file(std::string(dir) + "/" + name.substr(0, 150) + ".i", input);
}

// Runs both and records a failure on any difference.  Returns the real run's verdict:
// false when the real tool did not exit normally (then ours was not run).  `real_out`
// receives the real tool's outcome.
bool compare(std::string_view kernel, const std::vector<std::string>& args, std::string_view input,
             const std::string& label, Outcome* real_out = nullptr) {
  // Ours runs only once the real tool has shown that the input does not exhaust memory.
  RealRun r = RealProcess(kernel, args, input).wait();
  if (real_out) *real_out = r.outcome;
  if (!r.normal) return false;
  Outcome ours = run_ours(kernel, args, input);
  std::string why = differences(r.outcome, ours);
  EXPECT_TRUE(why.empty()) << "genksyms " << kernel << " " << args_text(args) << " on " << label << why;
  if (!why.empty()) save_divergence(std::string(kernel) + "-" + label, input);
  return true;
}

// Same, but with both runs overlapping (for inputs that are known not to blow up).
void compare_overlapped(std::string_view kernel, const std::vector<std::string>& args, std::string_view input,
                        const std::string& label) {
  RealProcess real(kernel, args, input);
  Outcome ours = run_ours(kernel, args, input);
  RealRun r = real.wait();
  ASSERT_TRUE(r.normal) << "the real genksyms " << kernel << " did not exit normally on " << label << " (exit "
                        << r.outcome.exit_code << ")";
  std::string why = differences(r.outcome, ours);
  EXPECT_TRUE(why.empty()) << "genksyms " << kernel << " " << args_text(args) << " on " << label << why;
  if (!why.empty()) save_divergence(std::string(kernel) + "-" + label, input);
}

// ---- (a) real files cut short ----------------------------------------------------------------

struct Sample {
  fs::path input;
  std::string kernel;  // "" when the layout does not say
};

std::vector<Sample> corpus_samples() {
  const std::string dir = corpus_dir();
  std::vector<Sample> flat, v61, v612;
  if (dir.empty() || !fs::is_directory(dir)) return {};
  for (const auto& e : fs::directory_iterator(dir)) {
    if (!e.is_directory()) continue;
    if (fs::exists(e.path() / "input.i")) flat.push_back({e.path() / "input.i", ""});
    const std::string name = e.path().filename().string();
    if (name == "6.1" || name == "6.12")
      for (const auto& c : fs::directory_iterator(e.path()))
        if (fs::exists(c.path() / "input.i")) (name == "6.1" ? v61 : v612).push_back({c.path() / "input.i", name});
  }
  auto by_path = [](const Sample& a, const Sample& b) { return a.input < b.input; };
  auto spread = [&](std::vector<Sample> v, std::size_t k) {
    std::sort(v.begin(), v.end(), by_path);
    std::vector<Sample> out;
    for (std::size_t i = 0; i < k && i < v.size(); ++i) out.push_back(v[i * v.size() / std::min(k, v.size())]);
    return out;
  };
  std::vector<Sample> out = spread(v612, 3);
  for (auto& s : spread(v61, 2)) out.push_back(s);
  for (auto& s : spread(flat, 5 - std::min<std::size_t>(5, out.size()))) out.push_back(s);
  return out;
}

TEST(GenksymsBadInput, TruncatedRealFiles) {
  const std::vector<Sample> samples = corpus_samples();
  ASSERT_FALSE(samples.empty()) << "MODFORGE_CORPUS (" << corpus_dir()
                                << ") holds no */input.i or <version>/*/input.i: the truncation test needs real "
                                   "preprocessed kernel files";
  std::mt19937_64 rng(0x6b73796d73ull);  // fixed: the same cuts every run
  int compared = 0;
  for (std::size_t s = 0; s < samples.size(); ++s) {
    const std::string text = read_file(samples[s].input.string());
    ASSERT_GT(text.size(), 1000u) << samples[s].input;
    for (int cut = 0; cut < 40; ++cut) {
      // Mostly anywhere; some right at or next to a line start, where markers and exports begin.
      std::size_t at = static_cast<std::size_t>(rng() % text.size());
      if (cut % 5 == 4) {
        std::size_t nl = text.find('\n', at);
        at = nl == std::string::npos ? text.size() : nl + 1 - (rng() % 2);
      }
      const std::string kernel = !samples[s].kernel.empty() ? samples[s].kernel : kKernels[(s + cut) % 2];
      compare_overlapped(kernel, {"-w", "-T", "@T@"}, std::string_view(text).substr(0, at),
                         samples[s].input.parent_path().filename().string() + "-cut" + std::to_string(at));
      ++compared;
    }
  }
  std::printf("truncated real files: %d cuts of %zu files compared\n", compared, samples.size());
}

// ---- (b) syntax errors -------------------------------------------------------------------------

struct Snippet {
  const char* name;
  std::string_view text;  // may hold NUL bytes
};

// Each starts with line markers and exports something, so that errors show file and line and
// the CRC output after the error is checked too.
const Snippet kSnippets[] = {
    {"missing-semicolon", "# 1 \"a.c\"\nint f(int a)\nint g(void);\n__GENKSYMS_EXPORT_SYMBOL(g);\n"sv},
    {"missing-semicolon-struct", "# 1 \"a.c\"\nstruct s { int a; }\nint g(struct s *p);\n__GENKSYMS_EXPORT_SYMBOL(g);\n"sv},
    {"unbalanced-open-brace", "# 1 \"a.c\"\nstruct s { int a; struct t { int b; };\nint g(void);\n__GENKSYMS_EXPORT_SYMBOL(g);\n"sv},
    {"unbalanced-close-brace", "# 1 \"a.c\"\n}\nint g(void);\n}}\n__GENKSYMS_EXPORT_SYMBOL(g);\n"sv},
    {"unbalanced-open-paren", "# 1 \"a.c\"\nint f(int a, (int b;\nint g(void);\n__GENKSYMS_EXPORT_SYMBOL(g);\n"sv},
    {"unbalanced-close-paren", "# 1 \"a.c\"\nint f(int a));\nint g(void);\n__GENKSYMS_EXPORT_SYMBOL(g);\n"sv},
    {"stray-tokens", "# 1 \"a.c\"\n@ $ ` ? ;\nint g(void);\n__GENKSYMS_EXPORT_SYMBOL(g);\n"sv},
    {"stray-operators", "# 1 \"a.c\"\nint x = ;\n&& || -> << >>= ;\nint g(void);\n__GENKSYMS_EXPORT_SYMBOL(g);\n__GENKSYMS_EXPORT_SYMBOL(x);\n"sv},
    {"error-in-struct-body", "# 1 \"a.c\"\n# 1 \"h.h\" 1\nstruct s { int a; int b int c; long d; };\n# 3 \"a.c\" 2\nint g(struct s *p);\n__GENKSYMS_EXPORT_SYMBOL(g);\n"sv},
    {"error-in-union-body", "# 1 \"a.c\"\n# 1 \"h.h\" 1\nunion u { int a; ) ; long d; };\n# 3 \"a.c\" 2\nunion u g;\n__GENKSYMS_EXPORT_SYMBOL(g);\n"sv},
    {"error-in-enum-body", "# 1 \"a.c\"\n# 1 \"h.h\" 1\nenum e { A = 1, B = , C; D };\n# 3 \"a.c\" 2\nint g(enum e x);\n__GENKSYMS_EXPORT_SYMBOL(g);\n"sv},
    {"error-in-params", "# 1 \"a.c\"\nint f(int a,, int b);\nint g(int a int b);\nint h(void);\n__GENKSYMS_EXPORT_SYMBOL(f);\n__GENKSYMS_EXPORT_SYMBOL(h);\n"sv},
    {"error-in-nested-params", "# 1 \"a.c\"\nint f(int (*cb)(int ; long), int b);\nint h(void);\n__GENKSYMS_EXPORT_SYMBOL(f);\n__GENKSYMS_EXPORT_SYMBOL(h);\n"sv},
    {"two-declaration-names", "# 1 \"a.c\"\nint a b;\nint g(void);\n__GENKSYMS_EXPORT_SYMBOL(a);\n__GENKSYMS_EXPORT_SYMBOL(g);\n"sv},
    {"two-names-typedef", "# 1 \"a.c\"\ntypedef int t1 t2;\nt1 g(void);\n__GENKSYMS_EXPORT_SYMBOL(g);\n"sv},
    {"eof-in-struct", "# 1 \"a.c\"\nint g(void);\n__GENKSYMS_EXPORT_SYMBOL(g);\nstruct s { int a;"sv},
    {"eof-in-params", "# 1 \"a.c\"\nint g(void);\n__GENKSYMS_EXPORT_SYMBOL(g);\nint f(int a,"sv},
    {"eof-in-attribute", "# 1 \"a.c\"\nint g(void);\n__GENKSYMS_EXPORT_SYMBOL(g);\nint f __attribute__((aligned(8)"sv},
    {"eof-in-asm", "# 1 \"a.c\"\nint g(void);\n__GENKSYMS_EXPORT_SYMBOL(g);\nint f asm(\"x\""sv},
    {"eof-in-typeof", "# 1 \"a.c\"\nint g(void);\n__GENKSYMS_EXPORT_SYMBOL(g);\ntypeof(int"sv},
    {"eof-in-bracket", "# 1 \"a.c\"\nint g(void);\n__GENKSYMS_EXPORT_SYMBOL(g);\nint arr[3 + (4"sv},
    {"eof-in-initializer", "# 1 \"a.c\"\nint g(void);\n__GENKSYMS_EXPORT_SYMBOL(g);\nint x = { 1, { 2"sv},
    {"eof-in-export", "# 1 \"a.c\"\nint g(void);\n__GENKSYMS_EXPORT_SYMBOL(g"sv},
    {"eof-in-static-assert", "# 1 \"a.c\"\nint g(void);\n__GENKSYMS_EXPORT_SYMBOL(g);\n_Static_assert(1, \"x\""sv},
    {"eof-in-function-body", "# 1 \"a.c\"\nint g(void);\n__GENKSYMS_EXPORT_SYMBOL(g);\nint f(void) { if (x) {"sv},
    {"export-malformed", "# 1 \"a.c\"\nint g(void);\n__GENKSYMS_EXPORT_SYMBOL();\n__GENKSYMS_EXPORT_SYMBOL(g h);\n__GENKSYMS_EXPORT_SYMBOL(g)\nint k;\n__GENKSYMS_EXPORT_SYMBOL(k);\n"sv},
    {"export-undefined", "# 1 \"a.c\"\n__GENKSYMS_EXPORT_SYMBOL(nowhere);\nint g(struct undef *p);\n__GENKSYMS_EXPORT_SYMBOL(g);\n"sv},
    {"keyword-misuse", "# 1 \"a.c\"\nint int x;\nstruct struct s;\ntypedef;\nstatic extern inline y;\nint g(void);\n__GENKSYMS_EXPORT_SYMBOL(g);\n"sv},
    {"error-then-recovery-chain", "# 1 \"a.c\"\nint a(; int b); int c;\n} int d;\nint e(void);\n__GENKSYMS_EXPORT_SYMBOL(c);\n__GENKSYMS_EXPORT_SYMBOL(d);\n__GENKSYMS_EXPORT_SYMBOL(e);\n"sv},
    {"unterminated-string", "# 1 \"a.c\"\nchar *s = \"abc;\nint g(void);\n__GENKSYMS_EXPORT_SYMBOL(g);\n"sv},
    {"unterminated-char", "# 1 \"a.c\"\nchar c = 'x;\nint g(void);\n__GENKSYMS_EXPORT_SYMBOL(g);\n"sv},
    {"string-across-lines", "# 1 \"a.c\"\nchar *s = \"abc\ndef\";\nint g(void) x;\n__GENKSYMS_EXPORT_SYMBOL(g);\n"sv},
    {"bad-line-markers", "# 1 \"a.c\"\n# 0x20 \"hex.h\"\nint a b;\n#  08 \"oct.h\" 2\nint c d;\n# 2147483648 \"big.c\"\nint e f;\n#line 5 \"x.c\"\nint g h;\n# 3 \"\"\nint i j;\n__GENKSYMS_EXPORT_SYMBOL(g);\n"sv},
    {"marker-without-newline", "# 1 \"a.c\"\nint g(void);\n__GENKSYMS_EXPORT_SYMBOL(g);\nint h i;\n# 9 \"end.c\""sv},
    {"nul-and-high-bytes", "# 1 \"a.c\"\nint \xe9t\xe9;\nint \x80\xff g(void);\n__GENKSYMS_EXPORT_SYMBOL(g);\nint k\x01;\n"sv},
    {"nul-byte", "# 1 \"a.c\"\nint g(void);\n__GENKSYMS_EXPORT_SYMBOL(g);\nint k\0 l;\n__GENKSYMS_EXPORT_SYMBOL(k);\n"sv},
    // A NUL inside a literal ends the token for the real tool (C strings): CRC, -T, -D.
    {"nul-in-string", "# 1 \"n.c\"\nint g(char x[sizeof(\"x\0y\")]);\n__GENKSYMS_EXPORT_SYMBOL(g);\n"sv},
    {"nul-in-char", "# 1 \"n.c\"\nint g(char x[sizeof('\0')]);\n__GENKSYMS_EXPORT_SYMBOL(g);\nint h(void);\n__GENKSYMS_EXPORT_SYMBOL(h);\n"sv},
    {"typedef-redefined-badly", "# 1 \"a.c\"\ntypedef int T;\nT T;\nT *(T);\nint g(T t, T);\n__GENKSYMS_EXPORT_SYMBOL(g);\n"sv},
    {"enum-bad-expressions", "# 1 \"a.c\"\nenum e { A = (1, B = [2], C = {3}, D };\nint g(enum e);\n__GENKSYMS_EXPORT_SYMBOL(g);\n"sv},
    {"deep-nesting-error", "# 1 \"a.c\"\nint (((((((((((f))))))))))(int (((((a))))));\nint ((((g)))(void);\n__GENKSYMS_EXPORT_SYMBOL(f);\n"sv},
};

TEST(GenksymsBadInput, SyntaxErrorSnippets) {
  int compared = 0, index = 0;
  for (const Snippet& s : kSnippets) {
    const std::string text(s.text);
    for (const char* kernel : kKernels) {
      compare_overlapped(kernel, {"-w", "-T", "@T@"}, text, s.name);
      ++compared;
      // The bison trace (and every third time the flex trace too) shows each shift, reduce
      // and error-recovery step.
      std::vector<std::string> debug = {"-w", "-d", "-d", "-T", "@T@"};
      if (index % 3 == 0) debug.insert(debug.begin() + 1, "-d");
      compare_overlapped(kernel, debug, text, std::string(s.name) + "-debug");
      ++compared;
    }
    ++index;
  }
  std::printf("syntax-error snippets: %zu snippets, %d runs compared\n", std::size(kSnippets), compared);
}

// ---- (c) random bytes and token soups ----------------------------------------------------------

std::string random_bytes(std::mt19937_64& rng) {
  std::string s;
  const std::size_t n = rng() % 300;
  const bool printable_mostly = rng() % 2;
  for (std::size_t i = 0; i < n; ++i) {
    unsigned v = static_cast<unsigned>(rng() % 256);
    if (printable_mostly && v >= 128) v = "\n#\"'(){}[];,=* \t_aZ09"[v % 22];
    s += static_cast<char>(v);
  }
  return s;
}

// A soup of C-ish tokens: runs of random tokens between plausible declarations, exports of
// the names in use, and line markers, so that both error recovery and CRC output get work.
std::string token_soup(std::mt19937_64& rng) {
  static const char* const kTokens[] = {
      "int", "char", "long", "short", "unsigned", "signed", "void", "_Bool", "float", "double", "const",
      "volatile", "static", "extern", "inline", "register", "auto", "typedef", "struct", "union", "enum",
      "__extension__", "__restrict", "__builtin_va_list", "__int128", "typeof", "__typeof__", "asm",
      "__attribute__", "_Static_assert", "a", "b", "foo", "bar", "T", "S", "E", "x1", "(", ")", "(", ")", "{",
      "}", "[", "]", ";", ";", ";", ",", ",", "=", ":", "*", "*", "&", "+", "-", "...", "->", "<<", "0", "1",
      "42", "0x1fU", "3.5e2f", "\"str\"", "'c'", "L\"w\"", "?", "!", "\n", "\n",
      "\n# 1 \"a.c\"\n", "\n# 7 \"inc/h.h\" 1\n", "\n# 9 \"a.c\" 2\n", "\n#pragma x\n",
      "__GENKSYMS_EXPORT_SYMBOL(a);", "__GENKSYMS_EXPORT_SYMBOL(foo);", "__GENKSYMS_EXPORT_SYMBOL(T);",
      "typedef int T;", "struct S { int a; };", "enum E { EA, EB = 2 };", "__attribute__((packed))",
      "asm(\"r\")", "typeof(int)", "typeof(a)",
  };
  static const char* const kTypes[] = {
      "int", "unsigned long", "const char *", "struct S", "struct S *", "union U", "enum E", "T", "T *",
      "void *", "_Bool", "typeof(int)", "__typeof__(foo)", "long long", "signed char", "struct S { int a; T b; }",
      "union U { int i; struct S s; }", "enum E { EA, EB = EA + 2, EC = sizeof(int) }", "__builtin_va_list",
  };
  static const char* const kNames[] = {"a", "b", "foo", "bar", "T", "S", "E", "EA", "x1"};
  static const char* const kDeclarators[] = {"@", "*@", "@[4]", "@(void)", "@(int, T)", "(*@)(int)", "@ = 3",
                                             "@ __attribute__((aligned(8)))", "@ asm(\"x\")", "@:3", "@(T t, ...)",
                                             "(@)", "@[]", "* const @"};
  // Function bodies, which the lexer skips as one brace phrase: braces inside literals, line
  // markers and directives inside, a quote with no end, an escaped newline in a string.
  static const char* const kBodyParts[] = {"{", "}", "{ }", "\"}\"", "'{'", "'}'", "L\"{\"", "\"a\\\"{\"",
                                           "\n# 40 \"inc/h.h\" 1\n", "\n# 41 \"soup.c\" 2\n", "\n#define X {\n",
                                           "\n  # 5 \"x.c\"\n", "\"a\\\nb\"", "'", "x = 1;", "return 0;",
                                           "\n", "if (a) { b(); }", "0x7d", "1.5e+3"};
  static const char* const kMarkers[] = {"# 3 \"inc/h.h\" 1\n", "# 12 \"soup.c\" 2\n", "# 1 \"other.c\"\n",
                                         "#pragma once\n"};
  auto pick = [&](const auto& arr) { return std::string(arr[rng() % std::size(arr)]); };
  auto random_run = [&](std::size_t n) {
    std::string r;
    for (std::size_t i = 0; i < n; ++i) r += pick(kTokens) + " \n"[rng() % 8 == 0];
    return r;
  };
  // How broken this soup is: 0 none (plausible C, CRCs expected), 1 a little, 2 very.
  const unsigned level = static_cast<unsigned>(rng() % 3);
  std::string s = rng() % 4 ? "# 1 \"soup.c\"\n" : "";
  if (rng() % 3)
    s += "# 1 \"inc/pre.h\" 1\ntypedef int T;\nstruct S { int a; long b; };\nunion U { int i; char c; };\n"
         "enum E { EA, EB = 4 };\n# 2 \"soup.c\" 2\n";
  std::vector<std::string> declared;
  const std::size_t n = 2 + rng() % 12;
  for (std::size_t i = 0; i < n; ++i) {
    switch (rng() % (level == 0 ? 8 : 9)) {
      case 0:
      case 1:
      case 2:
      case 3:
      case 4: {  // a declaration, sometimes with a few random tokens spliced in
        std::string d = pick(kDeclarators);
        const std::string name = pick(kNames);
        d.replace(d.find('@'), 1, name);
        declared.push_back(name);
        std::string decl = std::string(rng() % 4 == 0 ? "typedef " : rng() % 4 == 0 ? "extern " : "") + pick(kTypes) +
                           " " + d;
        if (level > 0 && rng() % (level == 1 ? 6 : 2) == 0) {
          std::size_t at = rng() % (decl.size() + 1);
          decl.insert(at, " " + random_run(1 + rng() % 3) + " ");
        }
        s += decl + (level == 0 || rng() % 8 ? ";\n" : "\n");
        break;
      }
      case 5:
        s += "__GENKSYMS_EXPORT_SYMBOL(" + (declared.empty() || rng() % 5 == 0 ? pick(kNames) : declared[rng() % declared.size()]) + ");\n";
        break;
      case 6:
        s += pick(kMarkers);
        break;
      case 7: {  // a function definition
        const std::string name = pick(kNames);
        declared.push_back(name);
        s += "static inline " + pick(kTypes) + " " + name + "(int a) {";
        for (std::size_t k = 0, m = rng() % 10; k < m; ++k) s += pick(kBodyParts) + " \n"[rng() % 4 == 0];
        s += level == 0 || rng() % 4 ? "}\n" : "\n";
        break;
      }
      default:
        s += random_run(1 + rng() % 12) + "\n";
        break;
    }
  }
  if (!declared.empty()) s += "__GENKSYMS_EXPORT_SYMBOL(" + declared.back() + ");\n";
  return s;
}

TEST(GenksymsBadInput, RandomBytesAndTokenSoups) {
  std::mt19937_64 rng(20240611);
  int compared = 0, skipped = 0, total = 0, with_crcs = 0, with_errors = 0;
  for (int kind = 0; kind < 2; ++kind) {
    for (int i = 0; i < 200; ++i) {
      const std::string text = kind == 0 ? random_bytes(rng) : token_soup(rng);
      const char* kernel = kKernels[i % 2];
      std::vector<std::string> args = {"-w", "-T", "@T@"};
      if (i % 5 == 0) args = {"-w", "-d", "-d", "-T", "@T@"};
      const std::string label = std::string(kind == 0 ? "random-bytes-" : "token-soup-") + std::to_string(i);
      ++total;
      Outcome real;
      if (compare(kernel, args, text, label, &real)) {
        ++compared;
        with_crcs += real.out.find("#SYMVER") != std::string::npos;
        with_errors += real.exit_code != 0;
      } else {
        ++skipped;
      }
    }
  }
  std::printf(
      "random inputs: %d of %d compared (%d with CRC lines, %d with exit 1; %d skipped: the real genksyms ran out "
      "of memory or was killed)\n",
      compared, total, with_crcs, with_errors, skipped);
  EXPECT_GT(compared, total * 3 / 4);
}

// ---- (d) command lines ---------------------------------------------------------------------------

// "@P@" is replaced by a path in a fresh directory (the same for both runs, so that messages
// naming it agree); after each run the file's existence and content are compared too, since
// the real tool creates (or truncates) the -T file as soon as it sees the option.
// "@R@" is an existing, readable reference file.
struct CliCase {
  std::vector<std::string> args;
  const char* only = nullptr;  // a kernel, or both
  const char* stale = nullptr;  // content @P@ has before each run
};

const std::string kCliInput = "# 1 \"a.c\"\nint x;\n__GENKSYMS_EXPORT_SYMBOL(x);\n";

const std::vector<CliCase>& cli_cases() {
  static const std::vector<CliCase> cases = {
      {{"-x"}}, {{"--bogus"}}, {{"-W", "foo"}}, {{"-a"}}, {{"-R"}},
      {{"--d"}}, {{"--dum"}}, {{"--du"}}, {{"--dump"}}, {{"--dump-"}},
      {{"--debu", "-d", "--dump"}}, {{"--h"}}, {{"--hel"}}, {{"--v"}}, {{"--q"}}, {{"--p"}}, {{"--w"}},
      {{"-r"}}, {{"--reference"}}, {{"-T"}}, {{"--dump-types"}}, {{"-w", "-r"}},
      {{"--debug=x"}}, {{"--debug="}}, {{"--help=3"}}, {{"--version=1"}}, {{"--dump=3"}},
      {{"-r", "/nonexistent-modforge/ref.symtypes"}}, {{"--reference=/nonexistent-modforge/ref"}},
      {{"-T", "/nonexistent-modforge/dir/x.symtypes"}},  // not "-r DIR": the real tool spins on it forever
      {{"-h"}}, {{"--help"}}, {{"-V"}}, {{"--version"}}, {{"-VV"}}, {{"-V", "-w"}},
      {{"-dw"}}, {{"-wd"}}, {{"-dwq"}}, {{"-dd"}}, {{"-ddd"}}, {{"--debug", "--debug"}}, {{"-Dp"}}, {{"-q", "-w"}},
      {{"-r@R@"}}, {{"--ref=@R@"}}, {{"--reference", "@R@"}}, {{"-dr@R@"}}, {{"-dr", "@R@"}},
      {{"-T@P@"}}, {{"--dump-types=@P@"}}, {{"--dump-t", "@P@"}}, {{"-wT", "@P@"}},
      {{"foo", "-V", "bar"}}, {{"--", "-V"}}, {{"-w", "--", "--bogus"}}, {{"-"}}, {{"-", "-V"}},
      {{"---x"}}, {{"--=x"}}, {{"--="}}, {{"--"}},
      {{"-Vx"}}, {{"-Vr"}}, {{"-VT"}}, {{"-dVx"}}, {{"-hx"}}, {{"-xh"}}, {{"-V", "--bogus"}}, {{"-x", "-h"}},
      {{"-h", "-x"}}, {{"-h", "--bogus"}},
      {{"-r", "-w"}}, {{"-T", "-w"}}, {{"-r", "-V"}}, {{"--reference", "-w"}}, {{"-r", "--bogus"}}, {{"-r", "--"}},
      {{"--reference="}}, {{"--dump-types="}}, {{"-r", ""}}, {{"-T", ""}},
      {{"-T", "@P@", "--bogus"}}, {{"-T", "@P@", "-h"}, nullptr, "stale\n"},
      {{"-T", "@P@", "-r", "/nonexistent-modforge/ref"}, nullptr, "stale\n"},
      {{"-r", "/nonexistent-modforge/ref", "-T", "@P@"}, nullptr, "stale\n"},
      {{"-T", "@P@", "-T", "/nonexistent-modforge/x"}, nullptr, "stale\n"},
      {{"-T", "@P@", "-w"}, nullptr, "stale\n"},
      {{"-s", "X"}, "6.1"}, {{"-sX"}, "6.1"}, {{"-s"}, "6.1"}, {{"-Vs", "X"}, "6.1"}, {{"--symbol-prefix=X"}, "6.1"},
      {{"-s", "X"}, "6.12"}, {{"--s"}},
  };
  return cases;
}

struct CliResult {
  Outcome o;
  bool exists = false;
  std::string content;
};

std::vector<std::string> substitute(const std::vector<std::string>& args, const std::string& p, const std::string& r) {
  std::vector<std::string> out;
  for (std::string a : args) {
    for (std::size_t i; (i = a.find("@P@")) != std::string::npos;) a.replace(i, 3, p);
    for (std::size_t i; (i = a.find("@R@")) != std::string::npos;) a.replace(i, 3, r);
    out.push_back(a);
  }
  return out;
}

TEST(GenksymsBadInput, CommandLineErrors) {
  const std::string dir = temp_dir();
  const std::string ref = dir + "/ref.symtypes", p = dir + "/types.symtypes";
  write_file(ref, "x int x\n");
  int compared = 0;
  for (const CliCase& c : cli_cases()) {
    for (const char* kernel : kKernels) {
      if (c.only && std::string_view(c.only) != kernel) continue;
      const std::vector<std::string> args = substitute(c.args, p, ref);
      auto one = [&](bool real) {
        std::error_code ec;
        fs::remove(p, ec);
        if (c.stale) write_file(p, c.stale);
        // A fresh working directory: "-T -w" makes a file named "-w" there.
        const fs::path cwd = fs::current_path();
        fs::current_path(temp_dir());
        CliResult r;
        try {
          r.o = real ? run_program(real_genksyms(kernel), args, kCliInput) : run_ours(kernel, args, kCliInput);
        } catch (...) {
          fs::current_path(cwd);
          throw;
        }
        fs::current_path(cwd);
        r.exists = fs::exists(p);
        if (r.exists) r.content = read_file(p);
        fs::remove(p, ec);
        return r;
      };
      CliResult real = one(true), ours = one(false);
      std::string why = differences(real.o, ours.o);
      if (real.exists != ours.exists)
        why += std::string("\n  -T file: real ") + (real.exists ? "leaves" : "does not leave") + " it, ours " +
               (ours.exists ? "leaves" : "does not leave") + " it";
      else if (auto d = first_difference(real.content, ours.content); !d.empty())
        why += "\n  -T file: " + d;
      EXPECT_TRUE(why.empty()) << "genksyms " << kernel << " " << args_text(args) << why;
      ++compared;
    }
  }
  std::printf("command lines: %d compared\n", compared);
}

}  // namespace
}  // namespace modforge::test
