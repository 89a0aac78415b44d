// The emulated kernel's saved state: written atomically, read back strictly, and the
// load/unload bookkeeping it carries (holders, refcounts, taints) across a save.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <unistd.h>

#include "core/error.h"
#include "loader/kernel/state_file.h"
#include "loader/tools/commands.h"

using namespace modforge;
using namespace modforge::loader::kernel;
using modforge::loader::tools::CommandResult;
using modforge::loader::tools::read_module_image;

namespace {

const char* kRel = "6.1.0-56-amd64";

std::string shipped_dir() {
  return std::string(std::getenv("HOME")) + "/.cache/modforge-oracle/" + kRel + "/lib/modules/" + kRel;
}

std::string shipped(const std::string& rel) { return shipped_dir() + "/" + rel; }

const Target& target61() {
  static const Target t = load_target(std::string("/usr/src/linux-headers-") + kRel, std::nullopt, shipped_dir());
  return t;
}

}  // namespace

TEST(LoaderKernelState, TargetFromHeadersTree) {
  const Target& t = target61();
  EXPECT_EQ(t.release, kRel);
  EXPECT_EQ(t.version, Kernel::v6_1);
  // What the target's shipped modules carry in .modinfo (read by kmod's modinfo).
  std::string out;
  FILE* p = popen(("/sbin/modinfo -F vermagic " + shipped("kernel/drivers/net/dummy.ko")).c_str(), "r");
  ASSERT_NE(p, nullptr);
  char buf[256];
  while (fgets(buf, sizeof buf, p)) out += buf;
  ASSERT_EQ(pclose(p), 0);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  std::string vm = t.vermagic;
  while (!vm.empty() && vm.back() == ' ') vm.pop_back();
  EXPECT_EQ(vm, out);
  EXPECT_GT(t.this_module_size, 0u);
  EXPECT_TRUE(t.exports.count("module_layout"));
}

TEST(LoaderKernelState, DependencyHoldersRoundTrip) {
  const Target& t = target61();
  EmulatedKernel k(t, boot_state(0));
  for (const char* m : {"kernel/lib/libcrc32c.ko"}) {
    CommandResult r = modforge::loader::tools::insmod_module(k, m, read_module_image(shipped(m)), "");
    ASSERT_EQ(r.rc, 0) << r.stderr_text;
  }
  ASSERT_NE(k.find("libcrc32c"), nullptr);
  const std::string text = format_state(k.state(), t);
  State back = parse_state(text, "state", t);
  EXPECT_EQ(format_state(back, t), text);
  // Removing a module that is not loaded: kmod's own message, no syscall.
  CommandResult rm = modforge::loader::tools::rmmod_module(k, "nosuch");
  EXPECT_EQ(rm.rc, 1);
  EXPECT_FALSE(rm.syscall);
}

TEST(LoaderKernelState, StrictParserRejectsCorruption) {
  const Target& t = target61();
  State s = boot_state(4096);
  LoadedModule m;
  m.name = "a";
  m.exports.push_back({"sym", 0x1234, true, false, ""});
  s.modules.push_back(m);
  const std::string good = format_state(s, t);
  EXPECT_NO_THROW(parse_state(good, "st", t));
  // every truncation but the whole file, and a flipped byte in each line, is refused
  for (std::size_t n = 0; n < good.size(); ++n)
    EXPECT_THROW(parse_state(good.substr(0, n), "st", t), Error) << n;
  std::string bad = good;
  bad.replace(bad.find("tainted 4096"), 12, "tainted 40x6");
  EXPECT_THROW(parse_state(bad, "st", t), Error);
  bad = good;
  bad.replace(bad.find("0x00001234"), 10, "0x0000123g");
  EXPECT_THROW(parse_state(bad, "st", t), Error);
  bad = good + "module a Live 0 0 0 0 0\nend\n";  // the same name twice
  EXPECT_THROW(parse_state(bad, "st", t), Error);
  try {
    parse_state("garbage\n", "st", t);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "st: line 1: not a modforge emulated-kernel state file");
  }
}

TEST(LoaderKernelState, WrittenFileReadsBack) {
  const Target& t = target61();
  namespace fs = std::filesystem;
  const fs::path path = fs::temp_directory_path() / ("kstate-" + std::to_string(::getpid()));
  State s = boot_state(12288);
  s.sig_notice_done = true;
  write_state_file(path.string(), s, t);
  EXPECT_EQ(format_state(read_state_file(path.string(), t), t), format_state(s, t));
  fs::remove(path);
  EXPECT_THROW(write_state_file("/nonexistent-dir/state", s, t), Error);
}

// The boot-wide effects of the code patching's WARNs survive a save: a later command in
// the same boot must not warn again, and ftrace stays off.
TEST(LoaderKernelState, WarnOnceFlagsRoundTrip) {
  const Target& t = target61();
  State s = boot_state(12288 | 512);
  s.warned_returns_thunk = true;
  s.warned_orc = true;
  s.ftrace_disabled = true;
  State back = parse_state(format_state(s, t), "st", t);
  EXPECT_FALSE(back.warned_returns_decode);
  EXPECT_TRUE(back.warned_returns_thunk);
  EXPECT_TRUE(back.warned_orc);
  EXPECT_TRUE(back.ftrace_disabled);
  EXPECT_EQ(back.tainted, 12288u | 512u);
}
