// Reading a .mod.o compile for the precompiled header (kbuild/mod_compile.h).  The bytes
// the PCH gives are compared with make's by tests/kbuild_compare.sh (--pch always); this is
// what the command and dependency-file readers accept and refuse.
#include <gtest/gtest.h>

#include "kbuild/mod_compile.h"

namespace mk = modforge::kbuild;

namespace {

// The shape of Makefile.modfinal's compile (6.1; 6.12 differs only in flags), shortened.
const char* kCommand =
    "gcc-12 -Wp,-MMD,/m/.hello.mod.o.d -nostdinc -I./include -include /s/include/linux/compiler-version.h "
    "-include /s/include/linux/kconfig.h -include /s/include/linux/compiler_types.h -D__KERNEL__ -O2 -g "
    "-DMODULE -DKBUILD_BASENAME='\"hello.mod\"' -DKBUILD_MODNAME='\"hello\"' -D__KBUILD_MODNAME=kmod_hello "
    "-c -o /m/hello.mod.o /m/hello.mod.c";

mk::Target target(std::string command) {
  mk::Target t;
  t.path = "/m/hello.mod.o";
  t.prereqs = {"/m/hello.mod.c"};
  t.steps.push_back({mk::Step::Kind::Fixdep, "cc_o_c", std::move(command), "", "/m/.hello.mod.o.d", ""});
  return t;
}

}  // namespace

TEST(KbuildModCompile, SplitsTheCommand) {
  auto t = target(kCommand);
  auto mc = mk::parse_mod_compile(t, t.steps[0]);
  ASSERT_TRUE(mc);
  EXPECT_EQ(mc->source, "/m/hello.mod.c");
  EXPECT_EQ(mc->object, "/m/hello.mod.o");
  EXPECT_EQ(mc->includes,
            " -include /s/include/linux/compiler-version.h -include /s/include/linux/kconfig.h"
            " -include /s/include/linux/compiler_types.h");
  EXPECT_EQ(mc->defines,
            "#define KBUILD_BASENAME \"hello.mod\"\n#define KBUILD_MODNAME \"hello\"\n"
            "#define __KBUILD_MODNAME kmod_hello\n");
  // Nothing of the module is left in the key.
  EXPECT_EQ(mc->flags, "gcc-12 -nostdinc -I./include -D__KERNEL__ -O2 -g -DMODULE");
  EXPECT_EQ(mc->pch_cmd,
            "gcc-12 -Wp,-MMD,@DEP@ -nostdinc -I./include -include @PCH@ -include @DEFS@ -D__KERNEL__ -O2 -g "
            "-DMODULE -c -o @OBJ@ /m/hello.mod.c");
}

TEST(KbuildModCompile, TwoModulesShareTheKey) {
  std::string other = kCommand;
  for (auto [from, to] : {std::pair{"hello", "xt_TARPIT"}}) {
    for (size_t p = 0; (p = other.find(from, p)) != std::string::npos; p += std::string_view(to).size())
      other.replace(p, std::string_view(from).size(), to);
  }
  mk::Target t2 = target(other);
  t2.path = "/m/xt_TARPIT.mod.o";
  t2.steps[0].depfile = "/m/.xt_TARPIT.mod.o.d";
  auto t1 = target(kCommand);
  auto a = mk::parse_mod_compile(t1, t1.steps[0]), b = mk::parse_mod_compile(t2, t2.steps[0]);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->flags, b->flags);
  EXPECT_EQ(a->includes, b->includes);
  EXPECT_NE(a->defines, b->defines);
}

TEST(KbuildModCompile, RefusesOtherShapes) {
  auto check = [](std::string command, const char* why) {
    auto t = target(std::move(command));
    EXPECT_FALSE(mk::parse_mod_compile(t, t.steps[0])) << why;
  };
  std::string c = kCommand;
  check(std::string(c).replace(c.find("/m/hello.mod.c"), 14, "/m/hello.c"), "not a .mod.c");
  check(std::string(c).replace(c.find("'\"hello\"'"), 9, "'\"he\\\"llo\"'"), "a quote in a name");
  check(std::string(c).replace(c.find("kmod_hello"), 10, "kmod_$(x)"), "not an identifier");
  check(std::string(c).replace(c.find("-include /s/include/linux/kconfig.h"), 8, "-include ./"),
        "a relative -include");
  check(std::string(c).replace(c.find("-Wp,-MMD,"), 9, "-MD -MF "), "no kbuild depfile");
  check(std::string(c) + " -include /x.h", "a -include after the source");
  auto t = target(kCommand);
  t.steps[0].kind = mk::Step::Kind::Savecmd;
  EXPECT_FALSE(mk::parse_mod_compile(t, t.steps[0])) << "not a compile with a dependency file";
}

TEST(KbuildModCompile, DepfileWords) {
  auto w = mk::depfile_words("hello.mod.o: /m/hello.mod.c \\\n /s/a.h \\\n include/generated/autoconf.h\n");
  ASSERT_EQ(w.size(), 4u);
  EXPECT_EQ(w[0], "hello.mod.o:");
  EXPECT_EQ(w[3], "include/generated/autoconf.h");
  EXPECT_TRUE(mk::depfile_words("").empty());
}

TEST(KbuildModCompile, PlainDepsKeepOrderAndDuplicates) {
  // The PCH's list keeps GCC's repeats (a header read twice before its guard is known);
  // the PCH compile's re-reads of headers the PCH holds go.
  std::vector<std::string> pch = {"/s/cv.h", "/s/kconfig.h", "/s/types.h", "/s/kconfig.h", "/s/module.h"};
  std::vector<std::string> compile = {"/s/module.h", "/s/build-salt.h", "/s/types.h", "/s/vermagic.h"};
  auto d = mk::plain_deps(pch, compile, "/m/hello.mod.c");
  std::vector<std::string> want = {"/m/hello.mod.c", "/s/cv.h",          "/s/kconfig.h", "/s/types.h",
                                   "/s/kconfig.h",   "/s/module.h",      "/s/build-salt.h", "/s/vermagic.h"};
  EXPECT_EQ(d, want);
}
