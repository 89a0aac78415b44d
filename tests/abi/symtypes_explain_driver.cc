// Test driver for tests/abi/symtypes_history.sh: two symtypes sets (directories or
// consolidated files) and the two Module.symvers of the same builds.  For every export the
// symtypes hold, the CRC recomputed from them must equal Module.symvers' (the real kbuild's
// CRC); every CRC change Module.symvers shows between the two, among those exports, must be
// explained by a changed type.  Prints the counts and the root causes; exit 0 when all hold.
#include <cstdio>
#include <map>
#include <string>

#include "abi/symtypes.h"
#include "abi/symtypes_model.h"
#include "abi/type_crc.h"
#include "core/error.h"
#include "core/input.h"
#include "core/symvers.h"

using namespace modforge;

namespace {

std::map<std::string, std::uint32_t> read_symvers(const std::string& path) {
  const Input in = Input::from_path(path);
  std::map<std::string, std::uint32_t> m;
  for (const SymversEntry& e : parse_symvers(in.bytes(), path).entries) m.emplace(std::string(e.symbol), e.crc);
  return m;
}

// exports of the symtypes whose recomputed CRC equals Module.symvers'
int agreement(const abi::SymtypesCorpus& c, const std::map<std::string, std::uint32_t>& symvers, const char* side) {
  abi::CrcRecomputer r(c);
  int equal = 0, differ = 0, absent = 0;
  for (const auto& e : c.exports()) {
    const std::string name(c.key_name(e.key));
    auto it = symvers.find(name);
    if (it == symvers.end()) {
      ++absent;
      continue;
    }
    const auto crc = r.crc(name);
    if (crc && *crc == it->second) ++equal;
    else {
      ++differ;
      std::printf("%s: %s: recomputed %08x, Module.symvers %08x\n", side, name.c_str(), crc.value_or(0), it->second);
    }
  }
  std::printf("%s: %d exports' CRCs recomputed from symtypes equal Module.symvers, %d differ, %d not in it\n", side,
              equal, differ, absent);
  return differ;
}

using Symvers = std::map<std::string, std::uint32_t>;

// A "crc" entry for each export of `o` in both Module.symvers whose CRC changed (`changed`)
// or stayed (and, given `also_in`, that it also exports).
abi::AbiDiff crc_entries(const abi::SymtypesCorpus& o, const Symvers& os, const Symvers& ns, bool changed,
                         const abi::SymtypesCorpus* also_in = nullptr) {
  abi::AbiDiff d;
  for (const auto& e : o.exports()) {
    const std::string name(o.key_name(e.key));
    auto a = os.find(name), b = ns.find(name);
    if (a == os.end() || b == ns.end() || (a->second != b->second) != changed) continue;
    if (also_in && !also_in->find_export(name)) continue;
    abi::SymbolChange ch;
    ch.symbol = name;
    ch.kind = "crc";
    d.changes.push_back(ch);
  }
  return d;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s OLD-SYMTYPES NEW-SYMTYPES OLD-SYMVERS NEW-SYMVERS\n", argv[0]);
    return 2;
  }
  try {
    auto o = abi::load_symtypes(argv[1]), n = abi::load_symtypes(argv[2]);
    const auto os = read_symvers(argv[3]), ns = read_symvers(argv[4]);
    int bad = agreement(*o, os, "old") + agreement(*n, ns, "new");
    abi::AbiDiff d = crc_entries(*o, os, ns, true);
    abi::explain_crc_changes(*o, *n, d);
    std::size_t explained = 0;
    for (const abi::SymbolChange& ch : d.changes) explained += !ch.root_cause.empty();
    std::printf("%zu CRC changes in Module.symvers among these exports: %zu explained by a changed type, %zu "
                "unexplained, %zu root causes\n",
                d.changes.size(), explained, d.unexplained.size(), d.causes.size());
    for (const abi::RootCause& c : d.causes) {
      std::printf("  %s [%s] %s: %zu exports\n", c.type.c_str(), c.key.c_str(), c.cls.c_str(), c.exports.size());
      for (const abi::TypeDetail& t : c.details)
        std::printf("    %s %s: %s -> %s\n", t.what.c_str(), t.name.c_str(), t.old_text.c_str(), t.new_text.c_str());
      std::printf("    e.g. %s", c.exports[0].c_str());
      for (const std::string& s : c.chains[0]) std::printf(" -> %s", s.c_str());
      std::printf("\n");
    }
    for (const std::string& s : d.unexplained) std::printf("unexplained: %s\n", s.c_str());
    // No false change: the exports whose CRC stayed must reach no changed type.
    abi::AbiDiff same = crc_entries(*o, os, ns, false, n.get());
    abi::explain_crc_changes(*o, *n, same);
    std::size_t false_changes = 0;
    for (const abi::RootCause& c : same.causes)
      if (c.cls != "no-type-change") {
        false_changes += c.exports.size();
        std::printf("false change: %s under %s\n", c.exports[0].c_str(), c.key.c_str());
      }
    std::printf("%zu exports with an unchanged CRC: %zu reach a changed type (must be 0)\n", same.changes.size(),
                false_changes);
    bad += static_cast<int>(false_changes + same.unexplained.size());
    if (d.changes.empty()) {
      std::printf("no CRC change among these exports: nothing was tested\n");
      return 1;
    }
    return bad == 0 && explained == d.changes.size() && d.unexplained.empty() ? 0 : 1;
  } catch (const Error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
}
