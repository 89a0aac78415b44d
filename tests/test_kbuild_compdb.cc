// compile_commands.json: the JSON strings (RFC 8259's escapes, checked by Python's json
// module reading them back), the shell words of kbuild's commands, the compile part, the
// clang variant, and the entries taken from a plan.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "kbuild/compdb.h"
#include "core/json.h"
#include "kbuild/plan.h"

namespace modforge::test {
namespace {

using kbuild::CompdbEntry;
using modforge::json_string;

TEST(KbuildCompdb, JsonStringEscapes) {
  EXPECT_EQ(json_string(""), "\"\"");
  EXPECT_EQ(json_string("plain -I./include"), "\"plain -I./include\"");
  EXPECT_EQ(json_string("-DKBUILD_BASENAME='\"x\"'"), "\"-DKBUILD_BASENAME='\\\"x\\\"'\"");
  EXPECT_EQ(json_string("a\\b"), "\"a\\\\b\"");
  EXPECT_EQ(json_string("\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"");
  EXPECT_EQ(json_string(std::string_view("\0\x01\x1f", 3)), "\"\\u0000\\u0001\\u001f\"");
  EXPECT_EQ(json_string("\x7f /"), "\"\x7f /\"");  // DEL and '/' need no escape
  EXPECT_EQ(json_string("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
}

TEST(KbuildCompdb, JsonStringRejectsInvalidUtf8) {
  for (std::string bad : {"\x80", "\xc0\x80", "\xc3", "\xe2\x82", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
                          "\xe0\x80\xaf", "\xf0\x80\x80\xaf", "ok\xff"})
    EXPECT_THROW(json_string(bad), Error) << bad;
}

// Every ASCII byte and some multibyte characters, in every field, read back by Python's json
// module: the strings it decodes must be the ones written.
TEST(KbuildCompdb, JsonReadBackByPython) {
  if (system("python3 -c 'import json' >/dev/null 2>&1") != 0) FAIL() << "python3 is missing";
  std::string all;
  for (int c = 1; c < 0x80; ++c) all += char(c);
  all += std::string("\0 after NUL", 11) + " \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xef\xbf\xbf\xf4\x8f\xbf\xbf";
  std::vector<CompdbEntry> entries = {{all, "/d\"ir", "/f\\ile\n", "/o\tut"}, {"b", all, "c", "d"}, {"", "", "", ""}};
  char dir[] = "/tmp/compdb-test.XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string json = std::string(dir) + "/cc.json", back = std::string(dir) + "/back";
  std::ofstream(json, std::ios::binary) << kbuild::compdb_json(entries);
  // Each entry's fields in the order directory, file, output, command, NUL-separated.
  std::string py = "import json,sys\n"
                   "e=json.load(open(sys.argv[1],encoding='utf-8'))\n"
                   "open(sys.argv[2],'wb').write(b''.join((x[k]+'\\x01').encode('utf-8') for x in e "
                   "for k in ('directory','file','output','command')))\n";
  std::string cmd = "python3 -c \"$PY\" " + json + " " + back;
  setenv("PY", py.c_str(), 1);
  ASSERT_EQ(system(cmd.c_str()), 0) << kbuild::compdb_json(entries);
  std::ifstream in(back, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string expect;
  for (auto& e : entries)
    for (auto* f : {&e.directory, &e.file, &e.output, &e.command}) expect += *f + "\x01";
  EXPECT_EQ(ss.str(), expect);
  unlink(json.c_str());
  unlink(back.c_str());
  rmdir(dir);
}

TEST(KbuildCompdb, EmptyArray) { EXPECT_EQ(kbuild::compdb_json({}), "[\n]\n"); }

TEST(KbuildCompdb, ShellWords) {
  auto w = kbuild::shell_words(" gcc -DX='\"a b\"' \"-DY=\\\"c\\\"\" a\\ b -c ; echo no");
  ASSERT_EQ(w.size(), 5u);
  EXPECT_EQ(w[0].value, "gcc");
  EXPECT_EQ(w[1].value, "-DX=\"a b\"");
  EXPECT_EQ(w[1].raw, "-DX='\"a b\"'");
  EXPECT_EQ(w[2].value, "-DY=\"c\"");
  EXPECT_EQ(w[3].value, "a b");
  EXPECT_EQ(w[4].value, "-c");
  EXPECT_THROW(kbuild::shell_words("gcc 'open"), Error);
}

TEST(KbuildCompdb, CompilePartStopsAtTheNextCommand) {
  // 6.12's single-object module: objtool chained after the compile.
  EXPECT_EQ(kbuild::compile_part("  gcc -c -o a.o a.c   ; ./tools/objtool/objtool --link --module a.o"),
            "gcc -c -o a.o a.c");
  EXPECT_EQ(kbuild::compile_part("gcc -D'x;y' -c a.c && true"), "gcc -D'x;y' -c a.c");
  EXPECT_EQ(kbuild::compile_part("gcc -c a.c"), "gcc -c a.c");
}

TEST(KbuildCompdb, ClangCommandDropsTheGccOnlyOptions) {
  std::string gcc = "gcc -mpreferred-stack-boundary=3 -mindirect-branch=thunk-extern -mindirect-branch-register "
                    "-mindirect-branch-cs-prefix -mfunction-return=thunk-extern -fno-allow-store-data-races "
                    "-fconserve-stack -mrecord-mcount -ftrivial-auto-var-init=zero -O2 -DKBUILD_BASENAME='\"m\"' "
                    "-mskip-rax-setup -Wno-dangling-pointer -c -o m.o m.c";
  std::string clang = "gcc -O2 -DKBUILD_BASENAME='\"m\"' -mskip-rax-setup -Wno-dangling-pointer -c -o m.o m.c";
  EXPECT_EQ(kbuild::clang_command(gcc, Kernel::v6_1), clang);
  EXPECT_EQ(kbuild::clang_command(gcc, Kernel::v6_12), clang);
}

TEST(KbuildCompdb, EntriesFromPlans) {
  auto build = kbuild::parse_plan(
      "@MF@prereqs@@/m/a.o@/m/a.c\n"
      "@MF@fixdep@cc_o_c@/m/a.o@ gcc -c -o /m/a.o /m/a.c   ; ./tools/objtool/objtool --module /m/a.o\n"
      "@MF@symver@c@/m/a.o@ gcc -E -D__GENKSYMS__ /m/a.c\n"
      "@MF@prereqs@@/m/s.o@/m/s.S\n"
      "@MF@fixdep@as_o_S@/m/s.o@ gcc -D__ASSEMBLY__ -c -o /m/s.o /m/s.S\n"
      "@MF@prereqs@@/m/x.lds@/m/x.lds.S\n"
      "@MF@fixdep@cpp_lds_S@/m/x.lds@ gcc -E -P -o /m/x.lds /m/x.lds.S\n"
      "@MF@prereqs@@/m/m.o@/m/a.o /m/s.o\n"
      "@MF@savecmd@ld_multi_m@/m/m.o@ld -r -o /m/m.o /m/a.o /m/s.o\n");
  auto final = kbuild::parse_plan(
      "@MF@prereqs@@/m/m.mod.o@/m/m.mod.c\n"
      "@MF@fixdep@cc_o_c@/m/m.mod.o@ gcc -c -o /m/m.mod.o /m/m.mod.c\n"
      "@MF@prereqs@@/m/.module-common.o@scripts/module-common.c\n"
      "@MF@fixdep@cc_o_c@/m/.module-common.o@ gcc -c -o /m/.module-common.o scripts/module-common.c\n");
  auto e = kbuild::compdb_entries({&build, &final, &final}, "/tree");
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[0].command, "gcc -c -o /m/a.o /m/a.c");
  EXPECT_EQ(e[0].file, "/m/a.c");
  EXPECT_EQ(e[0].output, "/m/a.o");
  EXPECT_EQ(e[0].directory, "/tree");
  EXPECT_EQ(e[1].file, "/m/s.S");
  EXPECT_EQ(e[2].output, "/m/m.mod.o");
  EXPECT_EQ(e[3].file, "/tree/scripts/module-common.c");
}

}  // namespace
}  // namespace modforge::test
