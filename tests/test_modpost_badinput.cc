// Bad input for modpost: corrupt, truncated, non-ELF, wrong-class and wrong-machine
// objects, missing files, malformed Module.symvers lines and bad command lines.  Each
// case runs the real modpost of the version and ours on the same files; ours must answer
// as the real one does, byte for byte, except where the real tool reads past its input
// (it crashes or prints garbage) or goes on with a file it cannot understand (another
// ELF class or machine): there ours must stop with one "ERROR/FATAL: modpost: <file>: ..."
// line and exit 1.  No case may leave a partly written output file.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>

#include "modpost/modpost.h"
#include "support.h"

namespace fs = std::filesystem;
using namespace modforge;

namespace {

struct Tree {
  std::string version, headers, real;
};

Tree tree(const std::string& v) {
  if (v == "6.1")
    return {v, "/usr/src/linux-headers-6.1.0-56-amd64", "/usr/lib/linux-kbuild-6.1/scripts/mod/modpost.real-lsb-64"};
  return {v, "/usr/src/linux-headers-6.12.117+deb12-amd64",
          "/usr/lib/linux-kbuild-6.12.117+deb12/scripts/mod/modpost.real-lsb-64"};
}

struct Result {
  std::string err;
  int rc = 0;
  std::map<std::string, std::string> outputs;  // *.mod.c and Module.symvers in the dir
};

std::map<std::string, std::string> outputs_in(const std::string& dir) {
  std::map<std::string, std::string> m;
  for (auto& e : fs::directory_iterator(dir)) {
    const std::string n = e.path().filename();
    if (n.ends_with(".mod.c") || n == "out.symvers") m[n] = test::read_file(e.path());
  }
  return m;
}

void clear_outputs(const std::string& dir) {
  for (auto& [n, _] : outputs_in(dir)) fs::remove(dir + "/" + n);
}

Result run_real(const Tree& t, const std::string& dir, const std::vector<std::string>& args) {
  clear_outputs(dir);
  const std::string err = dir + "/.stderr";
  pid_t pid = fork();
  if (pid == 0) {
    if (chdir(dir.c_str()) != 0) _exit(126);
    int e = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int n = open("/dev/null", O_RDONLY);
    dup2(n, 0);
    dup2(e, 2);
    std::vector<std::string> a = {"modpost"};
    a.insert(a.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : a) argv.push_back(s.data());
    argv.push_back(nullptr);
    execv(t.real.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  Result r;
  r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.err = test::read_file(err);
  fs::remove(err);
  r.outputs = outputs_in(dir);
  return r;
}

Result run_ours(const Tree& t, const std::string& dir, const std::vector<std::string>& args) {
  clear_outputs(dir);
  const fs::path here = fs::current_path();
  fs::current_path(dir);
  std::vector<std::string> a = {"modpost"};
  a.insert(a.end(), args.begin(), args.end());
  modpost::Streams io;
  Result r;
  r.rc = modpost::run(a, t.version == "6.1" ? Kernel::v6_1 : Kernel::v6_12, "", io);
  fs::current_path(here);
  r.err = io.err;
  r.outputs = outputs_in(dir);
  return r;
}

// A module built once per version with the real kbuild: its object, .mod and .cmd files.
std::string built_sample(const Tree& t) {
  static std::map<std::string, std::string> cache;
  if (cache.count(t.version)) return cache[t.version];
  const std::string dir = test::temp_dir() + "/exporter";
  fs::copy(std::string(getenv("MODFORGE_SOURCE")) + "/samples/exporter", dir, fs::copy_options::recursive);
  const std::string cmd = "make -s -C " + t.headers + " M=" + dir + " modules >" + dir + "/.build.log 2>&1";
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("kbuild failed: " + test::read_file(dir + "/.build.log"));
  cache[t.version] = dir;
  return dir;
}

// Our own refusal of a file the real tool cannot really read: one line naming it.
bool clean_refusal(const Result& ours, const std::string& file) {
  return ours.rc == 1 && ours.outputs.empty() && std::count(ours.err.begin(), ours.err.end(), '\n') == 1 &&
         ours.err.find(file) != std::string::npos && ours.err.find("modpost: ") != std::string::npos;
}

struct Tally {
  int identical = 0, refused = 0;
};

void check(const Tree& t, const std::string& dir, const std::vector<std::string>& args, const std::string& file,
           Tally& tally, bool may_refuse) {
  const Result real = run_real(t, dir, args);
  const Result ours = run_ours(t, dir, args);
  if (ours.err == real.err && ours.rc == real.rc && ours.outputs == real.outputs) {
    ++tally.identical;
    return;
  }
  // the real tool crashed, or read what it could not understand: ours refuses cleanly
  if ((real.rc >= 128 || may_refuse) && clean_refusal(ours, file)) {
    ++tally.refused;
    return;
  }
  ADD_FAILURE() << t.version << " " << file << " args:" << ::testing::PrintToString(args) << "\nreal rc=" << real.rc
                << "\n" << real.err.substr(0, 600) << "\nours rc=" << ours.rc << "\n" << ours.err.substr(0, 600);
}

class ModpostBadInput : public ::testing::TestWithParam<std::string> {};

std::vector<std::string> base_args(const Tree& t) {
  std::vector<std::string> a;
  if (t.version == "6.12") a.push_back("-M");
  for (const char* s : {"-m", "-e", "-o", "out.symvers", "-i", "syms"}) a.push_back(s);
  return a;
}

TEST_P(ModpostBadInput, CorruptObjects) {
  const Tree t = tree(GetParam());
  const std::string dir = built_sample(t);
  fs::copy_file(t.headers + "/Module.symvers", dir + "/syms", fs::copy_options::overwrite_existing);
  const std::string good = test::read_file(dir + "/exporter.o");
  const std::string cmd = test::read_file(dir + "/.exporter.o.cmd");
  Tally tally;
  auto with_object = [&](const std::string& bytes, bool may_refuse) {
    test::write_file(dir + "/bad.o", bytes);
    test::write_file(dir + "/bad.mod", "bad.o\n");
    test::write_file(dir + "/.bad.o.cmd", cmd);
    auto args = base_args(t);
    args.push_back("bad.o");
    check(t, dir, args, "bad.o", tally, may_refuse);
  };
  // the good object under another name: a baseline that must be identical
  with_object(good, false);
  ASSERT_EQ(tally.identical, 1);

  // truncations: inside the header, the section contents and the section table
  std::vector<std::size_t> cuts = {0, 1, 4, 16, 63, 64, 65, 200, 4096};
  for (int i = 1; i <= 24; ++i) cuts.push_back(good.size() * i / 25);
  for (std::size_t k = 1; k <= 8; ++k) cuts.push_back(good.size() - k * 8);
  // the real tool reads a cut table from beyond the end of the file (zeros, or SIGBUS)
  for (std::size_t c : cuts) with_object(good.substr(0, c), true);
  with_object("hello, not an object\n", false);

  auto patched = [&](std::size_t off, std::string_view bytes) {
    std::string b = good;
    std::memcpy(b.data() + off, bytes.data(), bytes.size());
    return b;
  };
  with_object(patched(4, "\x01"), true);             // ELFCLASS32
  with_object(patched(5, "\x02"), true);             // big-endian
  with_object(patched(5, "\x07"), true);             // unknown byte order (6.1 reads on)
  with_object(patched(16, "\x02\x00"), false);       // ET_EXEC
  with_object(patched(18, "\xb7\x00"), true);        // EM_AARCH64
  with_object(patched(18, "\x03\x00"), true);        // EM_386
  with_object(patched(58, "\x20\x00"), true);        // e_shentsize
  with_object(patched(62, "\xff\x7f"), true);        // e_shstrndx out of range

  // seeded byte flips over the ELF header and the section header table
  uint64_t shoff;
  std::memcpy(&shoff, good.data() + 0x28, 8);
  std::mt19937_64 rng(20261123);
  for (int i = 0; i < 60; ++i) {
    std::string b = good;
    const std::size_t span = good.size() - shoff;
    const std::size_t off = i % 3 == 0 ? rng() % 64 : shoff + rng() % span;
    b[off] = static_cast<char>(rng());
    with_object(b, true);
  }
  std::cout << "[ corrupt objects " << t.version << " ] identical to the real modpost: " << tally.identical
            << ", refused cleanly where the real one crashed or misread: " << tally.refused << "\n";
  EXPECT_GT(tally.identical, 30);
}

TEST_P(ModpostBadInput, MissingFilesAndOptions) {
  const Tree t = tree(GetParam());
  const std::string dir = built_sample(t);
  fs::copy_file(t.headers + "/Module.symvers", dir + "/syms", fs::copy_options::overwrite_existing);
  Tally tally;
  auto run = [&](std::vector<std::string> args) { check(t, dir, args, "", tally, false); };
  auto args = base_args(t);
  run({"-x"});
  run({"-i"});
  run({"-m", "-o"});
  run({"-T", "no-such-list"});
  run({"-i", "no-such.symvers", "exporter.o"});
  run({"-i", ".", "exporter.o"});
  run({"missing.o"});
  run({"-n", "missing.o"});
  run({".", "exporter.o"});
  run({"exporter.c"});
  run({"/dev/null"});
  // the .mod or .cmd file the CRCs come from is missing
  fs::copy_file(dir + "/exporter.o", dir + "/nomod.o", fs::copy_options::overwrite_existing);
  run({"-m", "nomod.o"});
  test::write_file(dir + "/nomod.mod", "nomod.o\n");
  run({"-m", "nomod.o"});
  // an output that cannot be written
  run({"-o", "/nonexistent/dir/Module.symvers", "exporter.o"});
  std::cout << "[ missing files/options " << t.version << " ] identical: " << tally.identical << "\n";
}

TEST_P(ModpostBadInput, MalformedSymvers) {
  const Tree t = tree(GetParam());
  const std::string dir = built_sample(t);
  const std::string real = test::read_file(t.headers + "/Module.symvers");
  const std::string head = real.substr(0, real.find('\n', 4000) + 1);
  Tally tally;
  const std::vector<std::string> bad_lines = {
      "0x12345678\tsym\tmod\tEXPORT_SYMBOL\n",          // too few fields
      "0x12345678 sym mod EXPORT_SYMBOL \n",             // spaces
      "zzz\tsym\tmod\tEXPORT_SYMBOL\t\n",                // bad CRC
      "0x1\t\tmod\tEXPORT_SYMBOL\t\n",                   // empty symbol
      "0x1\tsym\t\tEXPORT_SYMBOL\t\n",                   // empty module
      "0x1\tsym\tmod\tEXPORT_SYMBOL_FOO\t\n",            // unknown export type: skipped
      "0x1\tsym\tmod\tEXPORT_SYMBOL\tNS\textra\n",       // a tab in the namespace
      "\t\t\t\t\n",
      "\n",
      std::string("0x1\tsym\0x\tmod\tEXPORT_SYMBOL\t\n", 26),
      "0x1\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n",         // exported twice
  };
  for (const std::string& line : bad_lines) {
    test::write_file(dir + "/syms", head + line + head.substr(0, 200));
    auto args = base_args(t);
    args.push_back("exporter.o");
    check(t, dir, args, "syms", tally, false);
  }
  std::cout << "[ malformed Module.symvers " << t.version << " ] identical: " << tally.identical << " of "
            << bad_lines.size() << "\n";
  EXPECT_EQ(tally.identical, static_cast<int>(bad_lines.size()));
}

INSTANTIATE_TEST_SUITE_P(Versions, ModpostBadInput, ::testing::Values("6.1", "6.12"),
                         [](const auto& info) { return info.param == "6.1" ? std::string("v6_1") : std::string("v6_12"); });

}  // namespace
