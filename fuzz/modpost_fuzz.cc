// libFuzzer target for modpost as a whole: the input is an object file, which modpost reads
// with its .mod list and .cmd file beside it, through every stage (ELF checks, symbols,
// device tables, the section-mismatch walk, exports, CRCs, .mod.c and Module.symvers),
// for both kernel versions.  Any outcome but a normal return (a crash, a sanitizer report,
// an exception escaping run()) is a finding.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "modpost/modpost.h"

namespace {

std::string work_dir() {
  static std::string dir = [] {
    char tmpl[] = "/tmp/modpost-fuzz-XXXXXX";
    const char* d = mkdtemp(tmpl);
    if (!d) std::abort();
    return std::string(d);
  }();
  return dir;
}

void put(const std::string& path, const void* data, std::size_t size) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  if (size) std::fwrite(data, 1, size, f);
  std::fclose(f);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::string dir = work_dir();
  const std::string obj = dir + "/fz.o";
  put(obj, data, size);
  const std::string mod = obj.substr(0, obj.size() - 2) + ".mod";
  put(mod, (obj + "\n").data(), obj.size() + 1);
  const std::string cmd = "cmd_fz.o := gcc\n#SYMVER fz_export 0x12345678\n#SYMVER other 0x1\n";
  put(dir + "/.fz.o.cmd", cmd.data(), cmd.size());
  for (modforge::Kernel k : {modforge::Kernel::v6_1, modforge::Kernel::v6_12}) {
    std::vector<std::string> args = {"modpost", "-m", "-e", "-a", "-o", dir + "/out.symvers", obj};
    if (k == modforge::Kernel::v6_12) args.insert(args.begin() + 1, "-M");
    modforge::modpost::Streams io;
    modforge::modpost::run(args, k, "", io);
  }
  return 0;
}
