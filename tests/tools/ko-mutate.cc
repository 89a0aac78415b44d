// ko-mutate: writes a damaged copy of a well-formed kernel module, for the loader corpus
// and the random qemu tier (tests/corpus/make-loader-corpus.sh, tests/kernel_loader_random.sh).
//
//   ko-mutate IN OUT OP ARGS...     one mutation (list below)
//   ko-mutate -r SEED IN OUT        a mutation picked at random from IN's own structure;
//                                   prints the equivalent "OP ARGS..." on stdout
//   ko-mutate -l IN                 sections, __versions, .modinfo and relocation counts
//
// The input is read through LLVM Object (core/elf.h, and llvm::object::ELFFile for the
// header); once LLVM has said where a header, section or entry is, the copy is patched
// byte by byte, so the output may be anything (that is the point).
//
// Operations (VALUE: N | +N | -N | ^N (relative to the current value) | an expression
// TERM[+-N] with TERM a number, filesize, off:SEC, size:SEC, end:SEC, idx:SEC, name:SEC
// (its sh_name)):
//   ehdr FIELD VALUE            magic class data ident_version osabi type machine version
//                               entry phoff shoff flags ehsize phentsize phnum shentsize
//                               shnum shstrndx
//   shdr SEC FIELD VALUE        name type flags addr offset size link info addralign entsize
//                               (SEC: a section name, or #INDEX)
//   versions-crc SYM VALUE      the __versions CRC of SYM
//   versions-name SYM NEW       renames SYM's __versions entry
//   modinfo-set KEY VAL         .modinfo rewritten in place (must fit in the section)
//   modinfo-del KEY             every KEY= entry removed
//   rela SEC INDEX FIELD VALUE  offset sym type addend of entry INDEX of SEC (a SHT_RELA)
//   sym NAME FIELD VALUE        name info other shndx value size of symbol NAME
//   byte SEC OFFSET VALUE       one byte at OFFSET in SEC's contents (OFFSET: "last" or an
//                               expression, e.g. name:__versions+2 in .shstrtab renames it)
//   truncate VALUE              the file's length
#include <llvm/Object/ELF.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "core/cli.h"
#include "core/elf.h"
#include "core/error.h"
#include "core/atomic_file.h"
#include "core/input.h"

namespace {

using modforge::Error;
using Ehdr = llvm::ELF::Elf64_Ehdr;
using Shdr = llvm::ELF::Elf64_Shdr;
using Rela = llvm::ELF::Elf64_Rela;
using Sym = llvm::ELF::Elf64_Sym;
using Args = std::vector<std::string>;

struct Field {
  const char* name;
  size_t offset, size;
};
#define FIELD(T, f) Field{#f, offsetof(T, f), sizeof(T::f)}
// Field offsets come from LLVM's ELF structures (llvm/BinaryFormat/ELF.h).
const Field ehdr_fields[] = {
    {"magic", 0, 4}, {"class", 4, 1}, {"data", 5, 1}, {"ident_version", 6, 1}, {"osabi", 7, 1},
    FIELD(Ehdr, e_type), FIELD(Ehdr, e_machine), FIELD(Ehdr, e_version), FIELD(Ehdr, e_entry),
    FIELD(Ehdr, e_phoff), FIELD(Ehdr, e_shoff), FIELD(Ehdr, e_flags), FIELD(Ehdr, e_ehsize),
    FIELD(Ehdr, e_phentsize), FIELD(Ehdr, e_phnum), FIELD(Ehdr, e_shentsize),
    FIELD(Ehdr, e_shnum), FIELD(Ehdr, e_shstrndx)};
const Field shdr_fields[] = {
    FIELD(Shdr, sh_name), FIELD(Shdr, sh_type), FIELD(Shdr, sh_flags), FIELD(Shdr, sh_addr),
    FIELD(Shdr, sh_offset), FIELD(Shdr, sh_size), FIELD(Shdr, sh_link), FIELD(Shdr, sh_info),
    FIELD(Shdr, sh_addralign), FIELD(Shdr, sh_entsize)};
const Field sym_fields[] = {FIELD(Sym, st_name), FIELD(Sym, st_info), FIELD(Sym, st_other),
                            FIELD(Sym, st_shndx), FIELD(Sym, st_value), FIELD(Sym, st_size)};
// r_info packs (sym << 32 | type); "sym" and "type" are its halves.
const Field rela_fields[] = {{"offset", offsetof(Rela, r_offset), 8}, {"type", offsetof(Rela, r_info), 4},
                             {"sym", offsetof(Rela, r_info) + 4, 4}, {"addend", offsetof(Rela, r_addend), 8}};
#undef FIELD
constexpr size_t kVersionEntry = 64;  // struct modversion_info: unsigned long crc; char name[56]

// "e_shoff", "sh_size", "st_shndx" or the same without the prefix.
template <size_t N>
const Field& field(const Field (&table)[N], const std::string& name) {
  for (const Field& f : table) {
    std::string full = f.name;
    for (const char* prefix : {"e_", "sh_", "st_"})
      if (full.rfind(prefix, 0) == 0 && name == full.substr(strlen(prefix))) return f;
    if (name == full) return f;
  }
  throw Error("ko-mutate: unknown field " + name);
}

uint64_t parse_number(const std::string& s) {
  size_t used = 0;
  uint64_t v = 0;
  try {
    v = std::stoull(s, &used, 0);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != s.size() || s.empty()) throw Error("ko-mutate: bad number " + s);
  return v;
}

// The module being mutated: the original (read by LLVM) and the copy being patched.
class Mutation {
public:
  explicit Mutation(std::string_view bytes)
      : elf_(modforge::elf::ElfFile::from_bytes(bytes, "input")), out_(bytes) {
    auto header = llvm::object::ELFFile<llvm::object::ELF64LE>::create(
        llvm::StringRef(bytes.data(), bytes.size()));
    if (!header) throw Error("ko-mutate: " + llvm::toString(header.takeError()));
    shoff_ = header->getHeader().e_shoff;
    shentsize_ = header->getHeader().e_shentsize;
  }
  const modforge::elf::ElfFile& elf() const { return elf_; }
  std::string& out() { return out_; }

  const modforge::elf::Section& section(const std::string& name) const {
    if (!name.empty() && name[0] == '#') {
      uint64_t i = parse_number(name.substr(1));
      if (i >= elf_.sections().size()) throw Error("ko-mutate: no section " + name);
      return elf_.sections()[i];
    }
    if (const auto* s = elf_.section(name)) return *s;
    throw Error("ko-mutate: no section " + name);
  }
  uint64_t shdr_at(const modforge::elf::Section& s) const { return shoff_ + s.index * shentsize_; }
  // sh_name (the offset of the name in the section-name table), which core/elf resolves away.
  uint64_t shdr_name(const modforge::elf::Section& s) const {
    uint32_t v = 0;
    std::memcpy(&v, elf_.bytes().data() + shdr_at(s) + offsetof(Shdr, sh_name), sizeof v);
    return v;
  }

  // An expression over the original file (see the header comment).
  uint64_t term(const std::string& t) const {
    auto colon = t.find(':');
    if (t == "filesize") return elf_.bytes().size();
    if (colon == std::string::npos) return parse_number(t);
    const auto& s = section(t.substr(colon + 1));
    std::string what = t.substr(0, colon);
    if (what == "off") return s.offset;
    if (what == "size") return s.size;
    if (what == "end") return s.offset + s.size;
    if (what == "idx") return s.index;
    if (what == "name") return shdr_name(s);
    throw Error("ko-mutate: bad term " + t);
  }
  uint64_t value(const std::string& v, uint64_t current) const {
    if (v.empty()) throw Error("ko-mutate: empty value");
    if (v[0] == '+') return current + term(v.substr(1));
    if (v[0] == '-') return current - term(v.substr(1));
    if (v[0] == '^') return current ^ term(v.substr(1));
    auto op = v.find_first_of("+-", 1);
    if (op == std::string::npos) return term(v);
    uint64_t a = term(v.substr(0, op)), b = term(v.substr(op + 1));
    return v[op] == '+' ? a + b : a - b;
  }

  uint64_t get(uint64_t at, size_t size) const {
    check_range(at, size);
    uint64_t v = 0;
    std::memcpy(&v, out_.data() + at, size);  // x86-64 host, little-endian file
    return v;
  }
  void set(uint64_t at, size_t size, const std::string& v) {
    uint64_t n = value(v, get(at, size));
    std::memcpy(out_.data() + at, &n, size);
  }
  void check_range(uint64_t at, size_t size) const {
    if (at > out_.size() || size > out_.size() - at)
      throw Error("ko-mutate: offset " + std::to_string(at) + " is outside the file");
  }

private:
  modforge::elf::ElfFile elf_;
  std::string out_;
  uint64_t shoff_ = 0, shentsize_ = 0;
};

uint64_t version_entry(const Mutation& m, const std::string& sym) {
  const auto& s = m.section("__versions");
  for (uint64_t e = 0; e + kVersionEntry <= s.size; e += kVersionEntry) {
    std::string_view name = s.contents.substr(e + 8, kVersionEntry - 8);
    if (name.substr(0, name.find('\0')) == sym) return s.offset + e;
  }
  throw Error("ko-mutate: no __versions entry for " + sym);
}

void modinfo_rewrite(Mutation& m, const std::string& key, const std::string* value) {
  const auto& s = m.section(".modinfo");
  std::string packed;
  bool found = false;
  for (size_t p = 0; p < s.contents.size();) {
    size_t end = s.contents.find('\0', p);
    if (end == std::string_view::npos) end = s.contents.size();
    std::string_view entry = s.contents.substr(p, end - p);
    p = end + 1;
    if (entry.empty()) continue;
    if (entry.substr(0, key.size() + 1) == key + "=") {
      if (value && !found) packed.append(key + "=" + *value).push_back('\0');
      found = true;
      continue;
    }
    packed.append(entry).push_back('\0');
  }
  if (value && !found) packed.append(key + "=" + *value).push_back('\0');
  if (!found && !value) throw Error("ko-mutate: no " + key + "= in .modinfo");
  // The lc_pad entry of the corpus modules is the room a longer value takes.
  if (packed.size() > s.size) {
    std::string without;
    for (size_t p = 0; p < packed.size(); p = packed.find('\0', p) + 1)
      if (packed.compare(p, 7, "lc_pad=") != 0) without.append(packed.c_str() + p).push_back('\0');
    packed = without;
  }
  if (packed.size() > s.size) throw Error("ko-mutate: the new .modinfo does not fit in the section");
  packed.resize(s.size, '\0');
  m.out().replace(s.offset, s.size, packed);
}

uint64_t symbol_entry(const Mutation& m, const std::string& name) {
  const auto& symtab = m.section(".symtab");
  for (const auto& sym : m.elf().symbols())
    if (sym.name == name) return symtab.offset + uint64_t(sym.index) * sizeof(Sym);
  throw Error("ko-mutate: no symbol " + name);
}

void need(const Args& a, size_t n) {
  if (a.size() != n) throw Error("ko-mutate: " + a[0] + " takes " + std::to_string(n - 1) + " arguments");
}

void apply_mutation(Mutation& m, const Args& a) {
  const std::string& op = a.at(0);
  if (op == "ehdr") {
    need(a, 3);
    const Field& f = field(ehdr_fields, a[1]);
    m.set(f.offset, f.size, a[2]);
  } else if (op == "shdr") {
    need(a, 4);
    const Field& f = field(shdr_fields, a[2]);
    m.set(m.shdr_at(m.section(a[1])) + f.offset, f.size, a[3]);
  } else if (op == "versions-crc") {
    need(a, 3);
    m.set(version_entry(m, a[1]), 8, a[2]);
  } else if (op == "versions-name") {
    need(a, 3);
    if (a[2].size() >= kVersionEntry - 8) throw Error("ko-mutate: name too long");
    uint64_t at = version_entry(m, a[1]) + 8;
    std::string name = a[2];
    name.resize(kVersionEntry - 8, '\0');
    m.out().replace(at, name.size(), name);
  } else if (op == "modinfo-set") {
    need(a, 3);
    modinfo_rewrite(m, a[1], &a[2]);
  } else if (op == "modinfo-del") {
    need(a, 2);
    modinfo_rewrite(m, a[1], nullptr);
  } else if (op == "rela") {
    need(a, 5);
    const auto& s = m.section(a[1]);
    uint64_t i = parse_number(a[2]);
    if (s.type != llvm::ELF::SHT_RELA || (i + 1) * sizeof(Rela) > s.size)
      throw Error("ko-mutate: " + a[1] + " has no RELA entry " + a[2]);
    const Field& f = field(rela_fields, a[3]);
    m.set(s.offset + i * sizeof(Rela) + f.offset, f.size, a[4]);
  } else if (op == "sym") {
    need(a, 4);
    const Field& f = field(sym_fields, a[2]);
    m.set(symbol_entry(m, a[1]) + f.offset, f.size, a[3]);
  } else if (op == "byte") {
    need(a, 4);
    const auto& s = m.section(a[1]);
    if (s.size == 0) throw Error("ko-mutate: " + a[1] + " is empty");
    uint64_t off = a[2] == "last" ? s.size - 1 : m.value(a[2], 0);
    if (off >= s.size) throw Error("ko-mutate: offset outside " + a[1]);
    m.set(s.offset + off, 1, a[3]);
  } else if (op == "truncate") {
    need(a, 2);
    uint64_t n = m.value(a[1], m.out().size());
    if (n > m.out().size()) throw Error("ko-mutate: truncate can only shorten");
    m.out().resize(n);
  } else {
    throw Error("ko-mutate: unknown operation " + op);
  }
}

// A random mutation drawn from the module's own tables: which field, which section, which
// entry, which value.  Returned as the argument list apply() takes, so it can be printed
// and replayed.
Args random_mutation(const Mutation& m, std::mt19937_64& rng) {
  auto pick = [&](size_t n) { return size_t(std::uniform_int_distribution<size_t>(0, n - 1)(rng)); };
  auto hex = [](uint64_t v) {
    char b[32];
    snprintf(b, sizeof b, "0x%llx", (unsigned long long)v);
    return std::string(b);
  };
  const auto& secs = m.elf().sections();
  auto any_section = [&] { return "#" + std::to_string(1 + pick(secs.size() - 1)); };
  const char* values[] = {"0", "1", "+1", "-1", "^0x80", "filesize", "filesize+1", "0xffffffff",
                          "0xffffffffffffffff", "0x7fffffff"};
  auto any_value = [&] { return pick(4) == 0 ? hex(rng() & 0xffffffff) : std::string(values[pick(std::size(values))]); };
  std::vector<std::string> rela;
  for (const auto& s : secs)
    if (s.type == llvm::ELF::SHT_RELA && s.size >= sizeof(Rela) && (s.flags & llvm::ELF::SHF_INFO_LINK))
      rela.push_back(std::string(s.name));
  for (;;) {
    switch (pick(8)) {
      case 0: return {"ehdr", ehdr_fields[pick(std::size(ehdr_fields))].name, any_value()};
      case 1:
      case 2: {
        const char* shf[] = {"name", "type", "flags", "offset", "size", "link", "info", "addralign", "entsize"};
        std::string v = any_value();
        if (pick(3) == 0) v = (pick(2) ? "off:" : "end:") + any_section();
        return {"shdr", any_section(), shf[pick(std::size(shf))], v};
      }
      case 3: {
        const auto* v = m.elf().section("__versions");
        if (!v || v->size < kVersionEntry) break;
        std::string_view name = v->contents.substr(pick(v->size / kVersionEntry) * kVersionEntry + 8, 56);
        name = name.substr(0, name.find('\0'));
        if (pick(3) == 0) return {"versions-name", std::string(name), std::string(name) + "_x"};
        return {"versions-crc", std::string(name), "^" + hex(1ull << pick(32))};
      }
      case 4: {
        const char* keys[] = {"vermagic", "license", "name", "depends", "retpoline", "intree"};
        std::string key = keys[pick(std::size(keys))];
        if (pick(2)) return {"modinfo-del", key};
        const char* vals[] = {"", "GPL", "Proprietary", "6.1.0-56-amd64 SMP preempt mod_unload modversions ",
                              "6.12.117+deb12-amd64 SMP preempt mod_unload modversions ", "Y", "x"};
        return {"modinfo-set", key, vals[pick(std::size(vals))]};
      }
      case 5: {
        if (rela.empty()) break;
        const auto& s = m.section(rela[pick(rela.size())]);
        // Only the type: the real kernel does not range-check r_offset or the symbol
        // index, it oopses on them (see tests/corpus/README.md), and a crash is no verdict.
        return {"rela", std::string(s.name), std::to_string(pick(s.size / sizeof(Rela))), "type", any_value()};
      }
      case 6: {
        const auto& s = secs[1 + pick(secs.size() - 1)];
        if (s.contents.empty()) break;
        return {"byte", "#" + std::to_string(s.index), std::to_string(pick(s.contents.size())), hex(rng() & 0xff)};
      }
      case 7: return {"truncate", std::to_string(pick(m.elf().bytes().size()))};
    }
  }
}

void list(const Mutation& m) {
  for (const auto& s : m.elf().sections())
    std::cout << "section " << s.index << ' ' << (s.name.empty() ? "-" : s.name) << " type=" << s.type
              << " offset=" << s.offset << " size=" << s.size << " link=" << s.link << '\n';
  if (const auto* v = m.elf().section("__versions"))
    for (uint64_t e = 0; e + kVersionEntry <= v->size; e += kVersionEntry) {
      std::string_view name = v->contents.substr(e + 8, 56);
      std::cout << "version " << name.substr(0, name.find('\0')) << '\n';
    }
}

int run(const std::vector<std::string>& argv) {
  static const modforge::cli::OptionSpec specs[] = {{'r', "random", true}, {'l', "list", false}};
  auto parsed = modforge::cli::parse(argv, specs);
  if (!parsed.error.empty()) throw Error(parsed.error, 2);
  bool listing = false, random = false;
  uint64_t seed = 0;
  for (const auto& u : parsed.uses) {
    if (u.key == 'l') listing = true;
    if (u.key == 'r') random = true, seed = parse_number(u.value);
  }
  const auto& ops = parsed.operands;
  size_t need_files = listing ? 1 : 2;
  if (ops.size() < need_files || (random && ops.size() != 2) || (!random && !listing && ops.size() < 3))
    throw Error("usage: ko-mutate IN OUT OP ARGS... | -r SEED IN OUT | -l IN", 2);
  auto input = modforge::Input::from_path(ops[0]);
  Mutation m(input.bytes());
  if (listing) {
    list(m);
    return 0;
  }
  Args op;
  if (random) {
    // Some draws do not apply to this module (a .modinfo value that does not fit, a key it
    // lacks): draw again from the same generator, so a seed still names one result.
    std::mt19937_64 rng(seed);
    for (int tries = 0;; ++tries) {
      op = random_mutation(m, rng);
      Mutation attempt(input.bytes());
      try {
        apply_mutation(attempt, op);
      } catch (const Error&) {
        if (tries == 100) throw;
        continue;
      }
      m = std::move(attempt);
      break;
    }
  } else {
    op.assign(ops.begin() + 2, ops.end());
    apply_mutation(m, op);
  }
  modforge::write_file_atomic(ops[1], m.out());
  if (random) {
    for (size_t i = 0; i < op.size(); ++i) std::cout << (i ? " " : "") << op[i];
    std::cout << '\n';
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(std::vector<std::string>(argv, argv + argc));
  } catch (const Error& e) {
    std::cerr << e.what() << '\n';
    return e.exit_code();
  } catch (const std::exception& e) {
    std::cerr << "ko-mutate: " << e.what() << '\n';
    return 1;
  }
}
