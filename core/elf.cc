#include "core/elf.h"

#include <cerrno>
#include <llvm/BinaryFormat/ELF.h>
#include <llvm/Object/ELF.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/MemoryBuffer.h>
#include <system_error>

#include "core/error.h"

namespace modforge::elf {

namespace ELF = llvm::ELF;
using ELFT = llvm::object::ELF64LE;

struct ElfFile::Buffer {
  std::unique_ptr<llvm::MemoryBuffer> mapped;  // null when the caller owns the bytes
};

namespace {

// LLVM's messages are single lines already; keep ours that way too.
[[noreturn]] void fail(const std::string& path, std::string cause) {
  for (char& c : cause)
    if (c == '\n') c = ' ';
  throw Error(path + ": " + cause, 1);
}

template <typename T>
T take(llvm::Expected<T> v, const std::string& path) {
  if (!v) fail(path, llvm::toString(v.takeError()));
  return std::move(*v);
}

std::string_view view(llvm::StringRef s) { return {s.data(), s.size()}; }
std::string_view view(llvm::ArrayRef<uint8_t> a) { return {reinterpret_cast<const char*>(a.data()), a.size()}; }

// The identification bytes are checked before LLVM sees the file so the cause names what
// is wrong (LLVM would only say "invalid file type" or parse the wrong class).
void check_ident(std::string_view b, const std::string& path) {
  if (b.size() < 4 || b.substr(0, 4) != "\x7f" "ELF") fail(path, "not an ELF file");
  if (b.size() < ELF::EI_NIDENT) fail(path, "truncated ELF identification (" + std::to_string(b.size()) + " bytes)");
  if (b[ELF::EI_CLASS] != ELF::ELFCLASS64)
    fail(path, b[ELF::EI_CLASS] == ELF::ELFCLASS32 ? "32-bit ELF, expected 64-bit"
                                                  : "invalid ELF class " + std::to_string(uint8_t(b[ELF::EI_CLASS])));
  if (b[ELF::EI_DATA] != ELF::ELFDATA2LSB) fail(path, "not a little-endian ELF file");
}

}  // namespace

ElfFile::ElfFile(ElfFile&&) noexcept = default;
ElfFile& ElfFile::operator=(ElfFile&&) noexcept = default;
ElfFile::~ElfFile() = default;

ElfFile ElfFile::open(const std::string& path) {
  // mmapped when large enough; never NUL-terminated, the file is binary
  auto mb = llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!mb) throw Error(errno_message(path, mb.getError().value()), 1);
  ElfFile f;
  f.path_ = path;
  f.buffer_ = std::make_unique<Buffer>();
  f.buffer_->mapped = std::move(*mb);
  f.load(view(f.buffer_->mapped->getBuffer()));
  return f;
}

ElfFile ElfFile::from_bytes(std::string_view bytes, const std::string& name) {
  ElfFile f;
  f.path_ = name;
  f.buffer_ = std::make_unique<Buffer>();
  f.load(bytes);
  return f;
}

void ElfFile::load(std::string_view b) {
  bytes_ = b;
  check_ident(b, path_);
  // ELFFile rather than ELFObjectFile: the latter's header drags in LLVM 14's JSON.h,
  // which clang 14 cannot compile in C++20 mode (the fuzz build).  ELFObjectFile::create
  // only adds the section-table read, done here first to keep the same first error.
  auto ef = take(llvm::object::ELFFile<ELFT>::create(llvm::StringRef(b.data(), b.size())), path_);
  auto shdrs = take(ef.sections(), path_);
  const auto& hdr = ef.getHeader();
  if (hdr.e_machine != ELF::EM_X86_64)
    fail(path_, "ELF machine " + std::to_string(hdr.e_machine) + ", expected x86-64 (" +
                    std::to_string(ELF::EM_X86_64) + ")");
  elf_type_ = hdr.e_type;

  sections_.reserve(shdrs.size());
  const typename ELFT::Shdr* symtab = nullptr;
  llvm::ArrayRef<typename ELFT::Word> shndx_table;
  for (const auto& sh : shdrs) {
    Section s;
    s.index = static_cast<uint32_t>(&sh - shdrs.begin());
    s.name = view(take(ef.getSectionName(sh), path_));
    s.type = sh.sh_type;
    s.flags = sh.sh_flags;
    s.addr = sh.sh_addr;
    s.offset = sh.sh_offset;
    s.size = sh.sh_size;
    s.entsize = sh.sh_entsize;
    s.addralign = sh.sh_addralign;
    s.link = sh.sh_link;
    s.info = sh.sh_info;
    // LLVM checks offset + size against the file even for NOBITS, which has no bytes
    if (sh.sh_type != ELF::SHT_NOBITS && sh.sh_type != ELF::SHT_NULL) s.contents = view(take(ef.getSectionContents(sh), path_));
    if (sh.sh_type == ELF::SHT_SYMTAB) {
      if (symtab) fail(path_, "more than one symbol table");
      symtab = &sh;
    }
    if (sh.sh_type == ELF::SHT_SYMTAB_SHNDX) shndx_table = take(ef.getSHNDXTable(sh), path_);
    sections_.push_back(s);
  }
  if (!symtab) return;  // a valid object may have none; callers decide whether that is fatal

  auto syms = take(ef.symbols(symtab), path_);
  llvm::StringRef strtab = take(ef.getStringTableForSymtab(*symtab, shdrs), path_);
  llvm::object::DataRegion<typename ELFT::Word> shndx(shndx_table);
  symbols_.reserve(syms.size());
  for (const auto& sym : syms) {
    Symbol s;
    s.index = static_cast<uint32_t>(&sym - syms.begin());
    s.name = view(take(sym.getName(strtab), path_));
    s.value = sym.st_value;
    s.size = sym.st_size;
    s.binding = sym.getBinding();
    s.type = sym.getType();
    s.other = sym.st_other;
    s.section_index = sym.st_shndx == ELF::SHN_XINDEX ? take(ef.getSectionIndex(sym, syms, shndx), path_) : sym.st_shndx;
    if (s.section_index != ELF::SHN_UNDEF && (s.section_index < ELF::SHN_LORESERVE || sym.st_shndx == ELF::SHN_XINDEX)) {
      if (s.section_index >= sections_.size())
        fail(path_, "symbol " + std::to_string(s.index) + " has invalid section index " + std::to_string(s.section_index));
      s.section_name = sections_[s.section_index].name;
    }
    symbols_.push_back(s);
  }
}

const Section* ElfFile::section(std::string_view name) const {
  for (const auto& s : sections_)
    if (s.name == name) return &s;
  return nullptr;
}

std::vector<Relocation> ElfFile::relocations(const Section& s) const {
  std::vector<Relocation> out;
  relocations(s, out);
  return out;
}

void ElfFile::relocations(const Section& s, std::vector<Relocation>& out) const {
  out.clear();
  if (s.type != ELF::SHT_RELA && s.type != ELF::SHT_REL) return;
  // The header and section table were validated by load(); re-creating the ELFFile view
  // over the same bytes only re-reads the header.
  auto ef = take(llvm::object::ELFFile<ELFT>::create(llvm::StringRef(bytes_.data(), bytes_.size())), path_);
  const auto* sh = take(ef.getSection(s.index), path_);
  // r_info is decoded as plain ELF64 (the MIPS64 layout does not apply to x86-64)
  if (s.type == ELF::SHT_RELA) {
    auto range = take(ef.relas(*sh), path_);
    out.reserve(range.size());
    for (const auto& r : range)
      out.push_back({r.r_offset, r.getType(false), r.getSymbol(false), r.r_addend});
  } else {
    auto range = take(ef.rels(*sh), path_);
    out.reserve(range.size());
    for (const auto& r : range) out.push_back({r.r_offset, r.getType(false), r.getSymbol(false), 0});
  }
}

std::optional<std::string_view> ElfFile::section_contents(std::string_view name) const {
  if (const Section* s = section(name)) return s->contents;
  return std::nullopt;
}

}  // namespace modforge::elf
