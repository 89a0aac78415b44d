// The symtypes model against the real genksyms: every CRC recomputed from a -T file the real
// tool wrote (the genksyms golden corpus: kbuild's own invocations on Debian's 6.1 and 6.12
// sources) equals the #SYMVER line it printed; the consolidated form reads back to the same
// records and CRCs; ksymtypes' documented example.
#include <filesystem>
#include <chrono>
#include <map>
#include <gtest/gtest.h>

#include "abi/symtypes.h"
#include "abi/symtypes_model.h"
#include "abi/type_crc.h"
#include "core/error.h"
#include "tests/support.h"

namespace modforge::test {
namespace {

namespace fs = std::filesystem;
using abi::SymtypesCorpus;

// name -> crc from genksyms' "#SYMVER name 0x..." lines
std::vector<std::pair<std::string, std::uint32_t>> symver_lines(const std::string& out) {
  std::vector<std::pair<std::string, std::uint32_t>> v;
  std::size_t p = 0;
  while ((p = out.find("#SYMVER ", p)) != std::string::npos) {
    const std::size_t e = out.find('\n', p);
    const std::string line = out.substr(p + 8, e - p - 8);
    const std::size_t sp = line.find(' ');
    v.emplace_back(line.substr(0, sp), static_cast<std::uint32_t>(std::stoul(line.substr(sp + 1), nullptr, 16)));
    p = e;
  }
  return v;
}

struct GoldenCase {
  std::string name, symtypes, out;
};

std::vector<GoldenCase> golden(const std::string& version) {
  const std::string dir = corpus_dir() + "/" + version;
  EXPECT_TRUE(fs::is_directory(dir)) << "no genksyms corpus in " << dir;
  std::vector<GoldenCase> v;
  if (!fs::is_directory(dir)) return v;
  for (const auto& e : fs::directory_iterator(dir))
    if (fs::exists(e.path() / "symtypes"))
      v.push_back({e.path().filename().string(), read_file(e.path() / "symtypes"), read_file(e.path() / "stdout")});
  std::sort(v.begin(), v.end(), [](const GoldenCase& a, const GoldenCase& b) { return a.name < b.name; });
  return v;
}

void check_crcs(const std::string& version) {
  const std::vector<GoldenCase> cases = golden(version);
  ASSERT_GE(cases.size(), 60u);
  SymtypesCorpus all;
  int equal = 0, total = 0;
  for (const GoldenCase& c : cases) {
    SymtypesCorpus one;
    one.add_file(c.name + ".symtypes", c.symtypes);
    all.add_file(c.name + ".symtypes", c.symtypes);
    for (const auto& [sym, crc] : symver_lines(c.out)) {
      ++total;
      const auto got = abi::recompute_crc(one, sym);
      EXPECT_TRUE(got.has_value()) << c.name << ": " << sym;
      if (got && *got == crc) ++equal;
      else if (got) ADD_FAILURE() << c.name << ": " << sym << " recomputed " << std::hex << *got << " genksyms " << crc;
    }
  }
  std::printf("symtypes %s: %d/%d CRCs recomputed from the real genksyms' -T files equal its #SYMVER (%zu files, "
              "%zu distinct records of %zu keys)\n",
              version.c_str(), equal, total, cases.size(), all.definition_count(), all.key_count());
  EXPECT_GT(total, 500);
  EXPECT_EQ(equal, total);

  // The consolidated form: the same records per file, the same CRCs, and a fixed point.
  const std::string text = abi::consolidated_text(all);
  SymtypesCorpus back;
  back.add_consolidated(text, "consolidated");
  ASSERT_EQ(back.file_count(), all.file_count());
  std::map<std::string, std::uint32_t> back_index;  // the consolidated file is in path order
  for (std::uint32_t f = 0; f < back.file_count(); ++f) back_index[back.file_path(f)] = f;
  for (std::uint32_t f = 0; f < all.file_count(); ++f) {
    ASSERT_TRUE(back_index.count(all.file_path(f))) << all.file_path(f);
    const auto a = all.complete_records(f), b = back.complete_records(back_index[all.file_path(f)]);
    ASSERT_EQ(a.size(), b.size()) << all.file_path(f);
    for (std::size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(all.key_name(a[i].first), back.key_name(b[i].first));
      EXPECT_EQ(all.definition(a[i].second).body, back.definition(b[i].second).body) << all.key_name(a[i].first);
    }
  }
  int back_equal = 0;
  for (const GoldenCase& c : cases)
    for (const auto& [sym, crc] : symver_lines(c.out)) back_equal += abi::recompute_crc(back, sym) == crc;
  EXPECT_EQ(back_equal, total);
  EXPECT_EQ(abi::consolidated_text(back), text);
  std::printf("symtypes %s: consolidated %zu bytes from %zu bytes of .symtypes\n", version.c_str(), text.size(),
              [&] {
                std::size_t n = 0;
                for (const GoldenCase& c : cases) n += c.symtypes.size();
                return n;
              }());
}

TEST(SymtypesModel, CrcsEqualRealGenksyms61) { check_crcs("6.1"); }
TEST(SymtypesModel, CrcsEqualRealGenksyms612) { check_crcs("6.12"); }

// suse-kabi-tools(5), "CONSOLIDATED SYMBOL TYPES": its two example files and what
// `ksymtypes consolidate` writes for them (ksymtypes is not packaged for Debian 12, so the
// manual's example stands in for running it).
TEST(SymtypesModel, ConsolidatedFormatOfKsymtypesManual) {
  const std::string dir = temp_dir() + "/example";
  fs::create_directories(dir);
  write_file(dir + "/a.symtypes",
             "s#foo struct foo { int m ; }\nu#bar union bar { UNKNOWN }\nbaz void baz ( s#foo a1 , u#bar * a2 )\n");
  write_file(dir + "/b.symtypes",
             "s#foo struct foo { int m ; }\nu#bar union bar { int i; float f; }\nqux void qux ( s#foo a1 , u#bar * a2 )\n");
  auto corpus = abi::load_symtypes(dir);
  EXPECT_EQ(abi::consolidated_text(*corpus),
            "/* a.symtypes */\n"
            "s#foo struct foo { int m ; }\n"
            "u##bar\n"
            "baz void baz ( s#foo a1 , u#bar * a2 )\n"
            "\n"
            "/* b.symtypes */\n"
            "u#bar union bar { int i; float f; }\n"
            "qux void qux ( s#foo a1 , u#bar * a2 )\n");
  // read back: b's s#foo is the one a defined; a's u#bar stays a declaration
  write_file(dir + "/../c.kabi", abi::consolidated_text(*corpus));
  auto back = abi::load_symtypes(dir + "/../c.kabi");
  const auto* qux = back->find_export("qux");
  ASSERT_NE(qux, nullptr);
  EXPECT_EQ(back->definition(back->lookup(qux->file, back->find_key("s#foo"))).body, "struct foo { int m ; }");
  EXPECT_EQ(back->definition(back->lookup(qux->file, back->find_key("u#bar"))).body, "union bar { int i; float f; }");
  const auto* baz = back->find_export("baz");
  EXPECT_EQ(back->definition(back->lookup(baz->file, back->find_key("u#bar"))).body, "union bar { UNKNOWN }");
}

TEST(SymtypesModel, BadInput) {
  SymtypesCorpus c;
  EXPECT_THROW(c.add_consolidated("s#foo struct foo { }\n", "x"), Error);  // no section header
  EXPECT_THROW(c.add_file("d.symtypes", "s#a struct a { int x ; }\ns#a struct a { long x ; }\n"), Error);
  EXPECT_THROW(abi::load_symtypes("/nonexistent/symtypes"), Error);
  EXPECT_THROW(abi::load_symtypes(temp_dir()), Error);  // a directory without .symtypes files
  // a reference with no record: the CRC cannot be recomputed, never a crash
  SymtypesCorpus d;
  d.add_file("e.symtypes", "f int f ( s#missing * )\n");
  EXPECT_FALSE(abi::recompute_crc(d, "f").has_value());
  EXPECT_FALSE(abi::recompute_crc(d, "nothere").has_value());
}

}  // namespace
}  // namespace modforge::test

namespace modforge::test {
namespace {

// Real kernels' types, changed between 6.1 and 6.12: the golden corpus' symtypes of both
// (kbuild's own genksyms runs on Debian's sources), every export in both whose #SYMVER
// differs.  Each change must be explained by a changed type, none left unexplained, and the
// explanation must agree with genksyms: a cause is found exactly when the CRC changed.
TEST(SymtypesModel, Explains61To612) {
  SymtypesCorpus o, n;
  std::map<std::string, std::uint32_t> oc, nc;
  for (const GoldenCase& c : golden("6.1")) {
    o.add_file(c.name + ".symtypes", o.keep(std::string(c.symtypes)));
    for (const auto& [s, crc] : symver_lines(c.out)) oc.emplace(s, crc);
  }
  for (const GoldenCase& c : golden("6.12")) {
    n.add_file(c.name + ".symtypes", n.keep(std::string(c.symtypes)));
    for (const auto& [s, crc] : symver_lines(c.out)) nc.emplace(s, crc);
  }
  abi::AbiDiff d, unchanged;
  int same = 0;
  for (const auto& [s, crc] : oc) {
    auto it = nc.find(s);
    if (it == nc.end()) continue;
    if (it->second == crc) {
      ++same;
      abi::SymbolChange ch;
      ch.symbol = s;
      ch.kind = "crc";
      unchanged.changes.push_back(ch);
      continue;
    }
    abi::SymbolChange ch;
    ch.symbol = s;
    ch.kind = "crc";
    d.changes.push_back(ch);
  }
  const auto t0 = std::chrono::steady_clock::now();
  abi::explain_crc_changes(o, n, d);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::size_t no_change = 0;
  for (const abi::RootCause& c : d.causes)
    if (c.cls == "no-type-change") no_change += c.exports.size();
  std::printf("6.1 -> 6.12 golden: %zu CRC changes (%d unchanged), %zu root causes, %zu unexplained, %zu without a "
              "type change, explained in %.1f ms\n",
              d.changes.size(), same, d.causes.size(), d.unexplained.size(), no_change, ms);
  for (std::size_t i = 0; i < d.causes.size() && i < 8; ++i) {
    const abi::RootCause& c = d.causes[i];
    std::printf("  %s (%s) %s, %zu exports:", c.key.c_str(), c.type.c_str(), c.cls.c_str(), c.exports.size());
    for (std::size_t j = 0; j < c.details.size() && j < 3; ++j)
      std::printf(" [%s %s]", c.details[j].what.c_str(), c.details[j].name.c_str());
    std::printf("\n    %s:", c.exports[0].c_str());
    for (const std::string& s : c.chains[0]) std::printf(" -> %s", s.c_str());
    std::printf("\n");
  }
  EXPECT_GT(d.changes.size(), 100u);
  EXPECT_TRUE(d.unexplained.empty());
  EXPECT_EQ(no_change, 0u);
  for (const abi::SymbolChange& ch : d.changes) EXPECT_FALSE(ch.root_cause.empty()) << ch.symbol;
  // the same explanation from the consolidated forms of both sides
  SymtypesCorpus oc2, nc2;
  oc2.add_consolidated(abi::consolidated_text(o), "old");
  nc2.add_consolidated(abi::consolidated_text(n), "new");
  abi::AbiDiff d2;
  d2.changes = d.changes;
  for (auto& ch : d2.changes) ch.root_cause.clear(), ch.root_causes.clear();
  abi::explain_crc_changes(oc2, nc2, d2);
  ASSERT_EQ(d2.causes.size(), d.causes.size());
  for (std::size_t i = 0; i < d.causes.size(); ++i) {
    EXPECT_EQ(d2.causes[i].key, d.causes[i].key);
    EXPECT_EQ(d2.causes[i].exports, d.causes[i].exports);
    EXPECT_EQ(d2.causes[i].chains, d.causes[i].chains);
    EXPECT_EQ(d2.causes[i].details.size(), d.causes[i].details.size());
  }
  for (std::size_t i = 0; i < d.changes.size(); ++i) EXPECT_EQ(d2.changes[i].root_causes, d.changes[i].root_causes);
  // no false change: an export whose CRC stayed reaches no changed type
  abi::explain_crc_changes(o, n, unchanged);
  ASSERT_EQ(unchanged.causes.size(), 1u);
  EXPECT_EQ(unchanged.causes[0].cls, "no-type-change");
  EXPECT_EQ(unchanged.causes[0].exports.size(), static_cast<std::size_t>(same));
}

}  // namespace
}  // namespace modforge::test

namespace modforge::test {
namespace {

// ksymtypes' first consolidated format ("F#" file records, "@N" variants), as its tests
// (tests/sym/ of its early releases) write two files whose struct foo differs: read back to
// the same records as the two plain files.
TEST(SymtypesModel, ReadsFirstConsolidatedFormat) {
  const std::string dir = temp_dir();
  write_file(dir + "/old.kabi",
             "s#foo@0 struct foo { int a ; }\n"
             "s#foo@1 struct foo { UNKNOWN }\n"
             "bar int bar ( s#foo )\n"
             "baz int baz ( s#foo )\n"
             "F#test.symtypes s#foo@0 bar\n"
             "F#test2.symtypes s#foo@1 baz\n");
  auto f = abi::load_symtypes(dir + "/old.kabi");
  SymtypesCorpus plain;
  plain.add_file("test.symtypes", "s#foo struct foo { int a ; }\nbar int bar ( s#foo )\n");
  plain.add_file("test2.symtypes", "s#foo struct foo { UNKNOWN }\nbaz int baz ( s#foo )\n");
  EXPECT_EQ(abi::consolidated_text(*f), abi::consolidated_text(plain));
  EXPECT_EQ(abi::recompute_crc(*f, "bar"), abi::recompute_crc(plain, "bar"));
  EXPECT_EQ(abi::recompute_crc(*f, "baz"), abi::recompute_crc(plain, "baz"));
  write_file(dir + "/bad.kabi", "bar int bar ( )\nF#test.symtypes bar@3\n");
  EXPECT_THROW(abi::load_symtypes(dir + "/bad.kabi"), Error);
}

}  // namespace
}  // namespace modforge::test
