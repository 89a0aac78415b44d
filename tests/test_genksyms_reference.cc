// Reference files (-r), with and without -p: the CRC a symbol keeps or loses, and the
// warnings about changed types, compared with the real genksyms on real kernel files whose
// reference symtypes were made by the real tool and then edited the way a kernel change
// or a distribution's preserved ABI would edit them.
#include <filesystem>
#include <gtest/gtest.h>

#include "tests/support.h"

namespace modforge::test {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::size_t b = 0;
  for (std::size_t e; (e = s.find('\n', b)) != std::string::npos; b = e + 1) out.push_back(s.substr(b, e - b));
  return out;
}

std::string join(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

// Edits of a symtypes file, each a plausible reference: a struct that grew, one that was
// opaque (UNKNOWN) before, overrides on changed and unchanged entries, dropped entries,
// and typedefs and enum constants that changed.
std::vector<std::string> mutations(const std::string& symtypes) {
  std::vector<std::string> lines = lines_of(symtypes), out;
  out.push_back(symtypes);
  auto edit = [&](auto pred, auto change, int max) {
    std::vector<std::string> l = lines;
    int n = 0;
    for (auto& x : l)
      if (n < max && pred(x)) {
        change(x);
        ++n;
      }
    if (n) out.push_back(join(l));
  };
  auto starts = [](const std::string& p) { return [p](const std::string& x) { return x.rfind(p, 0) == 0; }; };
  edit(starts("s#"), [](std::string& x) { x.insert(x.rfind('}'), "int __grown ; "); }, 1);
  edit(starts("s#"), [](std::string& x) {
    std::string name = x.substr(2, x.find(' ') - 2);
    x = "s#" + name + " struct " + name + " { UNKNOWN } ";
  }, 2);
  edit(starts("s#"), [](std::string& x) { x = "override " + x; }, 2);
  edit(starts("s#"), [](std::string& x) {
    x.insert(x.rfind('}'), "long __pad ; ");
    x = "override " + x;
  }, 2);
  edit(starts("t#"), [](std::string& x) { x += "__changed "; }, 1);
  edit(starts("E#"), [](std::string& x) { x = "override " + x.substr(0, x.find(' ')) + " 42 "; }, 3);
  edit([](const std::string& x) { return x.rfind("s#", 0) != 0 && x.find('#') == std::string::npos; },
       [](std::string& x) { x = "override " + x + "int "; }, 2);
  {
    std::vector<std::string> l;
    for (std::size_t i = 0; i < lines.size(); ++i)
      if (i % 3) l.push_back(lines[i]);
    out.push_back(join(l));
  }
  return out;
}

TEST(GenksymsReference, WarningsAndPreserveMatchReal) {
  const std::string dir = corpus_dir() + "/6.12";
  std::vector<fs::path> cases;
  for (const auto& e : fs::directory_iterator(dir)) cases.push_back(e.path());
  std::sort(cases.begin(), cases.end());
  ASSERT_FALSE(cases.empty());
  int compared = 0, with_warnings = 0;
  for (std::size_t i = 0; i < cases.size() && i < 3; ++i) {
    const std::string input = read_file((cases[i] / "input.i").string());
    for (const char* k : {"6.1", "6.12"}) {
      const std::string base = run_program(real_genksyms(k), {"-T", "@T@"}, input).types;
      ASSERT_FALSE(base.empty()) << cases[i];
      int m = 0;
      for (const std::string& ref : mutations(base)) {
        const std::string path = temp_dir() + "/ref" + std::to_string(m++) + ".symref";
        write_file(path, ref);
        for (const auto& args : std::vector<std::vector<std::string>>{
                 {"-r", path, "-T", "@T@"}, {"-p", "-r", path, "-T", "@T@"}, {"-w", "-p", "--reference=" + path}}) {
          Outcome want = run_program(real_genksyms(k), args, input);
          Outcome got = run_ours(k, args, input);
          EXPECT_EQ(got.out, want.out) << cases[i] << " mutation " << m;
          EXPECT_EQ(got.err, want.err) << cases[i] << " mutation " << m;
          EXPECT_EQ(got.exit_code, want.exit_code) << cases[i] << " mutation " << m;
          EXPECT_EQ(got.types, want.types) << cases[i] << " mutation " << m;
          ++compared;
          with_warnings += want.err.find("modversion") != std::string::npos;
        }
      }
    }
  }
  std::printf("reference runs compared: %d (%d with modversion messages)\n", compared, with_warnings);
  EXPECT_GT(with_warnings, 20);
}

TEST(GenksymsReference, MalformedReferenceFilesMatchReal) {
  const std::string input = "# 1 \"a.c\"\nstruct s { int a; };\nint f(struct s *);\n__GENKSYMS_EXPORT_SYMBOL(f);\n";
  const std::vector<std::string> refs = {
      "",
      "\n\n\n",
      "s#s struct s { int a ; }\n",
      "s#s struct s { UNKNOWN }\nf int f ( s#s * )\n",
      "override s#s struct s { long a ; }\n",
      "x#bad foo\n",
      std::string(300, 'a') + " int\n",
      "f extern int f ( s#s * )",
      "E#K 3\nE#L\ne#en enum en { E#K , E#L }\n",
      "s#s struct s { \"a b\" c ; }\n",
      " f  int  f (  s#s  *  ) \n",
  };
  for (const auto& ref : refs) {
    const std::string path = temp_dir() + "/ref";
    write_file(path, ref);
    for (const char* k : {"6.1", "6.12"})
      for (const auto& args : std::vector<std::vector<std::string>>{{"-r", path, "-T", "@T@"}, {"-p", "-d", "-r", path}}) {
        Outcome want = run_program(real_genksyms(k), args, input);
        Outcome got = run_ours(k, args, input);
        EXPECT_EQ(got.out, want.out) << ref;
        EXPECT_EQ(got.err, want.err) << ref;
        EXPECT_EQ(got.exit_code, want.exit_code) << ref;
        if (want.exit_code == 0) {
          EXPECT_EQ(got.types, want.types) << ref;
        }
      }
  }
}

}  // namespace
}  // namespace modforge::test
