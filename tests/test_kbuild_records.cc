// The kbuild driver's readers of what make and kbuild write: make's records
// (templates/kbuild-eval.mk) and the .cmd files fixdep and if_changed leave.
#include <gtest/gtest.h>

#include "core/error.h"
#include "kbuild/cmd_file.h"
#include "kbuild/plan.h"

namespace mk = modforge::kbuild;

TEST(KbuildCmdFile, DotCmdPath) {
  EXPECT_EQ(mk::dot_cmd_path("/m/dir/foo.o"), "/m/dir/.foo.o.cmd");
  EXPECT_EQ(mk::dot_cmd_path("foo.ko"), ".foo.ko.cmd");
  EXPECT_EQ(mk::dot_cmd_path("/m/.module-common.o"), "/m/..module-common.o.cmd");
}

TEST(KbuildCmdFile, MakeCmdEscapesAsKbuild) {
  // Kbuild.include's make-cmd: $ doubled, # as $(pound)
  EXPECT_EQ(mk::make_cmd("awk '!x[$0]++' # c"), "awk '!x[$$0]++' $(pound) c");
  EXPECT_EQ(mk::unescape_make_cmd(mk::make_cmd("a $$ b # $(x)")), "a $$ b # $(x)");
}

TEST(KbuildCmdFile, SameCommandComparesWords) {
  EXPECT_TRUE(mk::same_command(" gcc  -c -o a.o  a.c", "gcc -c -o a.o a.c "));
  EXPECT_FALSE(mk::same_command("gcc -c -o a.o a.c", "gcc -c -o a.o b.c"));
  EXPECT_FALSE(mk::same_command("gcc -c", "gcc -c -O2"));
}

TEST(KbuildCmdFile, ReadsFixdepOutput) {
  // The shape fixdep writes (6.12: savedcmd_), with a #SYMVER line and objtool's dependency.
  const char* text =
      "savedcmd_/m/a.o := gcc -Wp,-MMD,/m/.a.o.d -c -o /m/a.o /m/a.c\n"
      "\n"
      "source_/m/a.o := /m/a.c\n"
      "\n"
      "deps_/m/a.o := \\\n"
      "  include/linux/compiler-version.h \\\n"
      "    $(wildcard include/config/CC_VERSION_TEXT) \\\n"
      "    $(wildcard include/config/MISSING) \\\n"
      "  /m/a.h \\\n"
      "\n"
      "/m/a.o: $(deps_/m/a.o)\n"
      "\n"
      "$(deps_/m/a.o):\n"
      "#SYMVER a_fn 0x12345678\n"
      "\n"
      "/m/a.o: $(wildcard ./tools/objtool/objtool)\n";
  auto exists = [](const std::string& p) { return p != "include/config/MISSING"; };
  auto f = mk::parse_cmd_file(text, "/m/a.o", "savedcmd_", exists);
  ASSERT_TRUE(f.found);
  EXPECT_EQ(f.saved, "gcc -Wp,-MMD,/m/.a.o.d -c -o /m/a.o /m/a.c");
  // in the file's order; the missing $(wildcard ...) left out
  std::vector<std::string> want = {"include/linux/compiler-version.h", "include/config/CC_VERSION_TEXT", "/m/a.h",
                                   "./tools/objtool/objtool"};
  EXPECT_EQ(f.deps, want);
  // 6.1's prefix does not match a 6.12 file
  EXPECT_FALSE(mk::parse_cmd_file(text, "/m/a.o", "cmd_", exists).found);
  // another target's lines are not this one's
  EXPECT_FALSE(mk::parse_cmd_file(text, "/m/b.o", "savedcmd_", exists).found);
}

TEST(KbuildPlan, ReadsRecordsInMakeOrder) {
  const char* out =
      "make: Entering directory '/t'\n"
      "@MF@prereqs@@/m/a.o@/m/a.c\n"
      "@MF@makefiles@@/m/a.o@/t/eval.mk /t/scripts/Makefile.build /m/Kbuild\n"
      "@MF@rule@cc_o_c@/m/a.o@\n"
      "@MF@fixdep@cc_o_c@/m/a.o@gcc -c -o /m/a.o /m/a.c@NL@\n"
      "@MF@depfile@@/m/a.o@/m/.a.o.d\n"
      "@MF@quiet@cc_o_c@/m/a.o@CC [M]  /m/a.o\n"
      "@MF@symver@c@/m/a.o@gcc -E -D__GENKSYMS__ /m/a.c\n"
      "@MF@genksyms@c@/m/a.o@scripts/genksyms/genksyms -r /dev/null\n"
      "@MF@prereqs@@/m/modules.order@/m/a.o\n"
      "@MF@savecmd@gen_order@/m/modules.order@{ echo /m/a.o; :; } > /m/modules.order\n";
  auto plan = mk::parse_plan(out);
  ASSERT_EQ(plan.targets.size(), 2u);
  const auto& a = plan.targets[0];
  EXPECT_EQ(a.path, "/m/a.o");
  EXPECT_TRUE(a.has_prereqs);
  EXPECT_EQ(a.prereqs, std::vector<std::string>{"/m/a.c"});
  ASSERT_EQ(a.steps.size(), 2u);
  EXPECT_EQ(a.steps[0].kind, mk::Step::Kind::Fixdep);
  EXPECT_EQ(a.steps[0].command, "gcc -c -o /m/a.o /m/a.c\n");
  EXPECT_EQ(a.steps[0].depfile, "/m/.a.o.d");
  EXPECT_EQ(a.steps[0].quiet, "CC [M]  /m/a.o");
  EXPECT_EQ(a.steps[1].kind, mk::Step::Kind::Symver);
  EXPECT_EQ(a.steps[1].genksyms, "scripts/genksyms/genksyms -r /dev/null");
  EXPECT_EQ(plan.targets[1].steps[0].kind, mk::Step::Kind::Savecmd);
  EXPECT_EQ(plan.makefiles.size(), 3u);
  // only the records are kept for the cache
  EXPECT_EQ(mk::record_lines(out).find("Entering"), std::string::npos);
}

TEST(KbuildPlan, OrderRecordsOrderCommandsOnlyTargets) {
  // Makefile.modinst: "x.ko.xz" only runs commands, after "x.ko"; an if_changed target's own
  // prerequisites are not replaced by a later order record.
  const char* out =
      "@MF@order@@/d/x.ko@/m/x.ko\n"
      "@MF@cmd@install@/d/x.ko@cp /m/x.ko /d/x.ko\n"
      "@MF@order@@/d/x.ko.xz@/d/x.ko\n"
      "@MF@cmd@xz@/d/x.ko.xz@xz --check=crc32 --lzma2=dict=1MiB -f /d/x.ko\n"
      "@MF@prereqs@@/m/a.o@/m/a.c\n"
      "@MF@fixdep@cc_o_c@/m/a.o@gcc -c -o /m/a.o /m/a.c\n"
      "@MF@order@@/m/a.o@/m/a.c /m/b.h\n"
      "@MF@cmd@gen_objtooldep@/m/a.o@{ echo ; echo 'x' ; } >> /m/.a.o.cmd\n";
  auto plan = mk::parse_plan(out);
  ASSERT_EQ(plan.targets.size(), 3u);
  EXPECT_FALSE(plan.targets[1].has_prereqs);  // always runs, as make's FORCE rules do
  EXPECT_EQ(plan.targets[1].prereqs, std::vector<std::string>{"/d/x.ko"});
  EXPECT_TRUE(plan.targets[2].has_prereqs);
  EXPECT_EQ(plan.targets[2].prereqs, std::vector<std::string>{"/m/a.c"});
}

TEST(KbuildPlan, RefusesUnknownRecords) {
  EXPECT_THROW(mk::parse_plan("@MF@bogus@@/m/a.o@x\n"), modforge::Error);
}
