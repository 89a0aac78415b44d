#include "abi/symvers_diff.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <unordered_map>

#include "core/decompress.h"
#include "core/error.h"
#include "core/fd_io.h"

namespace fs = std::filesystem;

namespace modforge::abi {

namespace {

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// A headers package holds usr/src/linux-headers-<release>/Module.symvers (the -common
// package has none: say so rather than "no such file").
std::string symvers_in_package(const std::string& deb, const TempDir& dir) {
  std::error_code ec;
  for (const auto& d : fs::directory_iterator(fs::path(dir.path()) / "usr/src", ec)) {
    fs::path p = d.path() / "Module.symvers";
    if (fs::is_regular_file(p, ec)) return p.string();
  }
  throw Error(deb + ": not a kernel headers package with a Module.symvers (no usr/src/linux-headers-*/Module.symvers in it)");
}

std::string hex_crc(uint32_t crc) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", crc);
  return buf;
}

// The order of kinds within one symbol, as the reports list them.
int kind_rank(std::string_view k) {
  static constexpr std::string_view order[] = {"removed", "added", "crc", "export-type", "namespace", "module"};
  for (int i = 0; i < 6; ++i)
    if (order[i] == k) return i;
  return 6;
}

}  // namespace

std::unique_ptr<SymversSide> open_symvers_side(const std::string& arg) {
  auto side = std::make_unique<SymversSide>();
  side->given = arg;
  std::error_code ec;
  if (!fs::exists(arg, ec)) throw Error(arg + ": No such file or directory");
  if (fs::is_directory(arg, ec)) {
    side->path = (fs::path(arg) / "Module.symvers").string();
    if (!fs::is_regular_file(side->path, ec)) throw Error(arg + ": a directory without a Module.symvers (not a headers tree)");
  } else if (ends_with(arg, ".deb")) {
    side->unpacked = std::make_unique<TempDir>("modforge-check-abi-");
    extract_deb(arg, *side->unpacked, {"./usr/src/*/Module.symvers"});
    side->path = symvers_in_package(arg, *side->unpacked);
  } else {
    side->path = arg;
  }
  if (!read_whole_file(side->path, side->text)) throw Error(errno_message(side->path, errno));
  // Distributions ship the file compressed too (/boot/symvers-<release>.gz on SUSE, .xz on Red Hat).
  if (compression_of(side->text) != Compression::none) side->text = decompress(side->text, side->path);
  // Name the user's argument, not the temporary directory, in what goes wrong.
  const std::string shown = side->unpacked ? arg + ":" + side->path.substr(side->unpacked->path().size() + 1) : side->path;
  try {
    side->file = parse_symvers(side->text, shown);
  } catch (const SymversParseError& e) {
    throw Error(std::string(e.what()) + " (not a Module.symvers)");
  }
  if (!side->file.diagnostics.empty()) {
    const SymversDiagnostic& d = side->file.diagnostics.front();
    throw Error(shown + ":" + std::to_string(d.line) + ": " + d.message);
  }
  if (side->file.entries.empty()) throw Error(shown + ": no exported symbol in it (an empty Module.symvers is no baseline)");
  return side;
}

void diff_symvers(const SymversFile& old_file, const SymversFile& new_file, AbiDiff& diff) {
  std::unordered_map<std::string_view, const SymversEntry*> old_by, new_by;
  old_by.reserve(old_file.entries.size());
  new_by.reserve(new_file.entries.size());
  for (const SymversEntry& e : old_file.entries) old_by.try_emplace(e.symbol, &e);
  for (const SymversEntry& e : new_file.entries) new_by.try_emplace(e.symbol, &e);

  auto change = [&](const SymversEntry* o, const SymversEntry* n, std::string kind, std::string ov, std::string nv,
                    bool breaks) {
    SymbolChange c;
    c.symbol = std::string(o ? o->symbol : n->symbol);
    c.kind = std::move(kind);
    c.old_value = std::move(ov);
    c.new_value = std::move(nv);
    if (o) c.old_module = std::string(o->module);
    if (n) c.new_module = std::string(n->module);
    c.breaks = breaks;
    diff.changes.push_back(std::move(c));
  };
  for (const auto& [sym, o] : old_by) {
    auto it = new_by.find(sym);
    if (it == new_by.end()) {
      change(o, nullptr, "removed", hex_crc(o->crc), "", true);
      continue;
    }
    const SymversEntry* n = it->second;
    if (o->crc != n->crc) change(o, n, "crc", hex_crc(o->crc), hex_crc(n->crc), true);
    if (o->gpl_only != n->gpl_only)
      change(o, n, "export-type", std::string(o->export_type), std::string(n->export_type), n->gpl_only);
    if (o->ns != n->ns) change(o, n, "namespace", std::string(o->ns), std::string(n->ns), !n->ns.empty());
    if (o->module != n->module) change(o, n, "module", std::string(o->module), std::string(n->module), false);
  }
  for (const auto& [sym, n] : new_by)
    if (!old_by.count(sym)) change(nullptr, n, "added", "", hex_crc(n->crc), false);

  std::sort(diff.changes.begin(), diff.changes.end(), [](const SymbolChange& a, const SymbolChange& b) {
    if (a.symbol != b.symbol) return a.symbol < b.symbol;
    return kind_rank(a.kind) < kind_rank(b.kind);
  });
}

}  // namespace modforge::abi
