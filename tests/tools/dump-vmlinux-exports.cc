// dump-vmlinux-exports: what loader/kernel/vmlinux_image.h reads from a kernel image, in the
// formats the real files use, for tests/abi_vmlinuz_exports.sh to compare with them.
//
//   dump-vmlinux-exports [--certs DIR] [--time] IMAGE
//   dump-vmlinux-exports --target-reader IMAGE
//
// IMAGE: a vmlinuz (bzImage) or a vmlinux.  Standard output: one Module.symvers line per
// export ("0xCRC<TAB>name<TAB>vmlinux<TAB>EXPORT_SYMBOL[_GPL]<TAB>namespace"), in the
// kernel's table order.  --certs DIR writes each built-in certificate as DIR/cert-N.der.
// Standard error: the counts (and with --time, how long each step took).  --target-reader
// prints the same lines (in hash order) from what load_target takes, read_vmlinux_image(),
// whose results are cached across processes (MODFORGE_CACHE_DIR).
#include <boost/program_options.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "core/bzimage.h"
#include "core/elf.h"
#include "core/error.h"
#include "core/input.h"
#include "loader/kernel/vmlinux_image.h"

namespace po = boost::program_options;
using namespace modforge;

namespace {

int run(int argc, char** argv) {
  std::string image, certs_dir;
  bool timing = false, target_reader = false;
  po::options_description opts("dump-vmlinux-exports [--certs DIR] [--time] IMAGE");
  opts.add_options()("certs", po::value(&certs_dir), "write the built-in certificates there (cert-N.der)")(
      "time", po::bool_switch(&timing), "print how long each step took")(
      "target-reader", po::bool_switch(&target_reader), "print what read_vmlinux_image() gives (cached)")("image", po::value(&image)->required(), "");
  po::positional_options_description pos;
  pos.add("image", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(opts).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "dump-vmlinux-exports: " << e.what() << "\n" << opts;
    return 2;
  }

  char crc[16];
  if (target_reader) {
    const loader::kernel::VmlinuxImage img = loader::kernel::read_vmlinux_image(image);
    std::string out;
    for (const auto& [name, e] : img.exports) {
      std::snprintf(crc, sizeof crc, "0x%08x", e.crc);
      out.append(crc).append("\t").append(name).append("\tvmlinux\t");
      out.append(e.gpl_only ? "EXPORT_SYMBOL_GPL" : "EXPORT_SYMBOL").append("\t").append(e.ns).append("\n");
    }
    std::cout << out;
    std::cerr << image << ": " << img.exports.size() << " exports, " << img.builtin_certs.size() << " built-in certificate(s)\n";
    return 0;
  }

  using Clock = std::chrono::steady_clock;
  auto ms = [](Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
  };
  const auto t0 = Clock::now();
  const Input in = Input::from_path(image);
  std::string version;
  if (is_bzimage(in.bytes())) version = std::string(read_bzimage_header(in.bytes(), image).version);
  const std::string bytes = vmlinux_from_image(in.bytes(), image);
  const auto t1 = Clock::now();
  const elf::ElfFile f = elf::ElfFile::from_bytes(bytes, image + " (vmlinux)");
  const std::vector<loader::kernel::VmlinuxExport> exports = loader::kernel::vmlinux_exports(f);
  const auto t2 = Clock::now();
  const std::vector<std::string> certs = loader::kernel::vmlinux_builtin_certs(f);
  const auto t3 = Clock::now();

  std::string out;
  out.reserve(exports.size() * 64);
  for (const auto& e : exports) {
    std::snprintf(crc, sizeof crc, "0x%08x", e.crc);
    out.append(crc).append("\t").append(e.name).append("\tvmlinux\t");
    out.append(e.gpl_only ? "EXPORT_SYMBOL_GPL" : "EXPORT_SYMBOL").append("\t").append(e.ns).append("\n");
  }
  std::cout << out;
  for (std::size_t i = 0; i < certs.size() && !certs_dir.empty(); ++i) {
    const std::string p = certs_dir + "/cert-" + std::to_string(i) + ".der";
    std::ofstream(p, std::ios::binary) << certs[i];
  }
  std::size_t gpl = 0;
  for (const auto& e : exports) gpl += e.gpl_only;
  std::cerr << image << ": " << (version.empty() ? "vmlinux" : version) << "\n"
            << image << ": " << exports.size() << " exports (" << gpl << " GPL-only), " << certs.size()
            << " built-in certificate(s)\n";
  if (timing)
    std::cerr << image << ": decompress " << ms(t0, t1) << " ms (" << bytes.size() << " bytes), exports " << ms(t1, t2)
              << " ms, certificates " << ms(t2, t3) << " ms\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const Error& e) {
    std::cerr << "dump-vmlinux-exports: " << e.what() << "\n";
    return 1;
  }
}
