#include "loader/kernel/vmlinux_image.h"

#include <openssl/x509.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <optional>

#include <llvm/BinaryFormat/ELF.h>

#include "core/atomic_file.h"
#include "core/bzimage.h"
#include "core/error.h"
#include "core/input.h"

namespace modforge::loader::kernel {

namespace {

namespace ELF = llvm::ELF;

uint32_t le32(std::string_view b, std::size_t at) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<uint8_t>(b[at + i]);
  return v;
}
uint64_t le64(std::string_view b, std::size_t at) { return le32(b, at) | uint64_t{le32(b, at + 4)} << 32; }

// A section the reader needs whole: present in the file (not NOBITS) at its full size.
const elf::Section* table(const elf::ElfFile& f, std::string_view name) {
  const elf::Section* s = f.section(name);
  if (s && s->contents.size() != s->size)
    throw Error(f.path() + ": section " + std::string(name) + " has no contents in the file");
  return s;
}

// The NUL-terminated string at address `at` in __ksymtab_strings.
std::string_view string_at(const elf::ElfFile& f, const elf::Section& strings, uint64_t at, std::string_view what,
                           std::string_view table_name, std::size_t entry) {
  if (at < strings.addr || at - strings.addr >= strings.size)
    throw Error(f.path() + ": " + std::string(table_name) + " entry " + std::to_string(entry) + ": " + std::string(what) +
                " points outside __ksymtab_strings");
  std::string_view s = strings.contents.substr(static_cast<std::size_t>(at - strings.addr));
  std::size_t nul = s.find('\0');
  if (nul == std::string_view::npos)
    throw Error(f.path() + ": " + std::string(table_name) + " entry " + std::to_string(entry) + ": " + std::string(what) +
                " runs past the end of __ksymtab_strings");
  return s.substr(0, nul);
}

// kernel/module/main.c kernel_symbol_name() / kernel_symbol_namespace(): offset_to_ptr,
// the address of the field plus the int it holds.
void read_table(const elf::ElfFile& f, const elf::Section& ksymtab, const elf::Section* kcrctab,
                const elf::Section& strings, bool gpl, std::vector<VmlinuxExport>& out) {
  constexpr std::size_t kEntry = 12;  // struct kernel_symbol { int value_offset, name_offset, namespace_offset; }
  if (ksymtab.size % kEntry != 0)
    throw Error(f.path() + ": " + std::string(ksymtab.name) + " is " + std::to_string(ksymtab.size) +
                " bytes, not a whole number of 12-byte struct kernel_symbol (CONFIG_HAVE_ARCH_PREL32_RELOCATIONS)");
  const std::size_t n = static_cast<std::size_t>(ksymtab.size / kEntry);
  if (kcrctab && kcrctab->size != uint64_t{n} * 4)
    throw Error(f.path() + ": " + std::string(kcrctab->name) + " holds " + std::to_string(kcrctab->size / 4) +
                " CRCs for the " + std::to_string(n) + " entries of " + std::string(ksymtab.name));
  const std::string_view b = ksymtab.contents;
  for (std::size_t i = 0; i < n; ++i) {
    const uint64_t at = ksymtab.addr + i * kEntry;
    const auto field = [&](std::size_t k) {
      return at + 4 * k + static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(le32(b, i * kEntry + 4 * k))));
    };
    VmlinuxExport e;
    e.name = string_at(f, strings, field(1), "name_offset", ksymtab.name, i);
    // 0: no namespace (NULL; 6.1's exports from assembly, asm-generic/export.h, put 0)
    if (le32(b, i * kEntry + 8) != 0) e.ns = string_at(f, strings, field(2), "namespace_offset", ksymtab.name, i);
    if (e.name.empty())
      throw Error(f.path() + ": " + std::string(ksymtab.name) + " entry " + std::to_string(i) + " has an empty name");
    if (kcrctab) {
      e.crc = le32(kcrctab->contents, i * 4);
      e.has_crc = true;
    }
    e.gpl_only = gpl;
    out.push_back(e);
  }
}

// DER certificates one after the other from `at` (a SEQUENCE with a two-byte length, as
// x509_load_certificate_list() expects), each parsed by OpenSSL; the end of the run.
std::size_t certificate_run(std::string_view c, std::size_t at, std::vector<std::size_t>& ends) {
  ends.clear();
  std::size_t p = at;
  while (p + 5 <= c.size() && static_cast<uint8_t>(c[p]) == 0x30 && static_cast<uint8_t>(c[p + 1]) == 0x82 &&
         static_cast<uint8_t>(c[p + 4]) == 0x30) {
    const std::size_t len = 4 + (static_cast<std::size_t>(static_cast<uint8_t>(c[p + 2])) << 8 | static_cast<uint8_t>(c[p + 3]));
    if (len > c.size() - p) break;
    const unsigned char* q = reinterpret_cast<const unsigned char*>(c.data() + p);
    X509* x = d2i_X509(nullptr, &q, static_cast<long>(len));
    const bool whole = x && q == reinterpret_cast<const unsigned char*>(c.data() + p + len);
    X509_free(x);
    if (!whole) break;
    p += len;
    ends.push_back(p);
  }
  return p;
}

// Every emulated kmod command reads its target anew, and decompressing the image costs
// 0.1 s (6.12's zstd) to 0.5 s (6.1's xz): what an image yields is kept in the user's cache
// directory ($MODFORGE_CACHE_DIR, else $XDG_CACHE_HOME/modforge, else ~/.cache/modforge),
// named for the file's identity (device, inode, size, modification time), so a changed or
// replaced image is read again.  The cache is an optimisation only: any failure to read or
// write it falls back to the image.
std::string cache_file(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return "";
  std::string dir;
  if (const char* d = std::getenv("MODFORGE_CACHE_DIR"); d && *d) dir = d;
  else if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) dir = std::string(x) + "/modforge";
  else if (const char* h = std::getenv("HOME"); h && *h) dir = std::string(h) + "/.cache/modforge";
  else return "";
  return dir + "/vmlinuz/" + std::to_string(st.st_dev) + "-" + std::to_string(st.st_ino) + "-" + std::to_string(st.st_size) +
         "-" + std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
}

constexpr std::string_view kCacheMagic = "modforge-vmlinuz/1\n";

void put32(std::string& o, uint32_t v) {
  for (int i = 0; i < 4; ++i) o.push_back(static_cast<char>(v >> (8 * i)));
}
void put_bytes(std::string& o, std::string_view b) {
  put32(o, static_cast<uint32_t>(b.size()));
  o.append(b);
}

std::string serialize(const VmlinuxImage& img) {
  std::string o(kCacheMagic);
  put_bytes(o, img.version);
  put32(o, static_cast<uint32_t>(img.builtin_certs.size()));
  for (const std::string& c : img.builtin_certs) put_bytes(o, c);
  put32(o, static_cast<uint32_t>(img.exports.size()));
  for (const auto& [name, e] : img.exports) {
    put32(o, e.crc);
    o.push_back(static_cast<char>((e.has_crc ? 1 : 0) | (e.gpl_only ? 2 : 0)));
    put_bytes(o, name);
    put_bytes(o, e.ns);
  }
  return o;
}

std::optional<VmlinuxImage> deserialize(std::string_view b) {
  if (!b.starts_with(kCacheMagic)) return std::nullopt;
  std::size_t at = kCacheMagic.size();
  bool ok = true;
  auto get32 = [&]() -> uint32_t {
    if (b.size() - at < 4) { ok = false; return 0; }
    uint32_t v = le32(b, at);
    at += 4;
    return v;
  };
  auto get_bytes = [&]() -> std::string_view {
    const uint32_t n = get32();
    if (!ok || b.size() - at < n) { ok = false; return {}; }
    std::string_view v = b.substr(at, n);
    at += n;
    return v;
  };
  VmlinuxImage img;
  img.version = std::string(get_bytes());
  for (uint32_t n = get32(); ok && n > 0; --n) img.builtin_certs.emplace_back(get_bytes());
  uint32_t n = get32();
  if (!ok || n > b.size()) return std::nullopt;
  img.exports.reserve(n);
  for (; ok && n > 0; --n) {
    const uint32_t crc = get32();
    if (!ok || at >= b.size()) return std::nullopt;
    const uint8_t flags = static_cast<uint8_t>(b[at++]);
    const std::string_view name = get_bytes(), ns = get_bytes();
    Export& x = img.exports[std::string(name)];
    x.crc = crc;
    x.has_crc = flags & 1;
    x.gpl_only = flags & 2;
    x.ns = std::string(ns);
  }
  if (!ok || at != b.size()) return std::nullopt;
  return img;
}

}  // namespace

std::vector<VmlinuxExport> vmlinux_exports(const elf::ElfFile& f) {
  const elf::Section* ks = table(f, "__ksymtab");
  const elf::Section* ksg = table(f, "__ksymtab_gpl");
  if (!ks && !ksg) throw Error(f.path() + ": no __ksymtab or __ksymtab_gpl section (not a vmlinux that exports symbols)");
  const elf::Section* strings = table(f, "__ksymtab_strings");
  if (!strings) throw Error(f.path() + ": no __ksymtab_strings section (the exports' names)");
  const elf::Section* kc = table(f, "__kcrctab");
  const elf::Section* kcg = table(f, "__kcrctab_gpl");
  // Either CRC table alone stands for CONFIG_MODVERSIONS (a kernel without GPL-only
  // exports has no __kcrctab_gpl): the other is then empty.
  const elf::Section empty_crcs{};
  if ((kc || kcg) && !kc) kc = &empty_crcs;
  if ((kc || kcg) && !kcg) kcg = &empty_crcs;
  std::vector<VmlinuxExport> out;
  out.reserve(static_cast<std::size_t>(((ks ? ks->size : 0) + (ksg ? ksg->size : 0)) / 12));
  elf::Section empty_table;
  empty_table.name = ks ? "__ksymtab_gpl" : "__ksymtab";
  read_table(f, ks ? *ks : empty_table, kc, *strings, false, out);
  read_table(f, ksg ? *ksg : empty_table, kcg, *strings, true, out);
  return out;
}

std::vector<std::string> vmlinux_builtin_certs(const elf::ElfFile& f) {
  std::vector<std::size_t> ends;
  for (const elf::Section& s : f.sections()) {
    // .init.rodata lands in .init.data on x86; any allocated data section is looked at.
    if (s.type != ELF::SHT_PROGBITS || !(s.flags & ELF::SHF_ALLOC) || (s.flags & ELF::SHF_EXECINSTR)) continue;
    const std::string_view c = s.contents;
    // system_certificate_list is .align 8 (in the address space the section is linked at)
    for (std::size_t at = static_cast<std::size_t>((8 - s.addr % 8) % 8); at + 5 <= c.size(); at += 8) {
      if (static_cast<uint8_t>(c[at]) != 0x30 || static_cast<uint8_t>(c[at + 1]) != 0x82 ||
          static_cast<uint8_t>(c[at + 4]) != 0x30)
        continue;
      const std::size_t end = certificate_run(c, at, ends);
      if (ends.empty()) continue;
      // then, .align 8: system_certificate_list_size, module_cert_size (0, or the size of
      // the signing key's certificate, the first of the list)
      const std::size_t sz = static_cast<std::size_t>(end + (8 - (s.addr + end) % 8) % 8);
      if (sz + 16 <= c.size() && le64(c, sz) == end - at) {
        const uint64_t module_cert = le64(c, sz + 8);
        bool prefix = module_cert == 0;
        for (std::size_t e : ends) prefix = prefix || e - at == module_cert;
        if (prefix) {
          std::vector<std::string> certs;
          std::size_t from = at;
          for (std::size_t e : ends) {
            certs.emplace_back(c.substr(from, e - from));
            from = e;
          }
          return certs;
        }
      }
      at = end - (end - at) % 8;  // go on after the run (still 8-aligned)
    }
  }
  return {};
}

VmlinuxImage read_vmlinux_image(const std::string& path) {
  const std::string cached = cache_file(path);
  std::error_code ec;
  if (!cached.empty() && std::filesystem::is_regular_file(cached, ec)) {
    try {
      if (std::optional<VmlinuxImage> img = deserialize(Input::from_path(cached).bytes())) return std::move(*img);
    } catch (const Error&) {
    }
  }
  VmlinuxImage img = read_vmlinux_image_uncached(path);
  if (!cached.empty()) {
    try {
      std::filesystem::create_directories(std::filesystem::path(cached).parent_path(), ec);
      if (!ec) write_file_atomic(cached, serialize(img));
    } catch (const Error&) {
    }
  }
  return img;
}

VmlinuxImage read_vmlinux_image_uncached(const std::string& path) {
  VmlinuxImage img;
  std::string bytes;
  {
    const Input in = Input::from_path(path);
    if (is_bzimage(in.bytes())) img.version = std::string(read_bzimage_header(in.bytes(), path).version);
    bytes = vmlinux_from_image(in.bytes(), path);
  }
  const elf::ElfFile f = elf::ElfFile::from_bytes(bytes, path + " (vmlinux)");
  const std::vector<VmlinuxExport> exports = vmlinux_exports(f);
  img.exports.reserve(exports.size());
  for (const VmlinuxExport& e : exports) {
    Export& x = img.exports[std::string(e.name)];
    x.crc = e.crc;
    x.has_crc = e.has_crc;
    x.gpl_only = e.gpl_only;
    x.ns = std::string(e.ns);
  }
  img.builtin_certs = vmlinux_builtin_certs(f);
  return img;
}

}  // namespace modforge::loader::kernel
