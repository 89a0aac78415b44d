// Each kind of change explained, on symtypes the REAL genksyms writes (both kernels' tools):
// a small header in an old and a new version, the same exporting C file, `gcc -E
// -D__GENKSYMS__` piped into genksyms -T.  The CRC changes come from the #SYMVER lines genksyms
// prints (what modpost would put in Module.symvers); the explanation must account for each.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <sstream>

#include "abi/symtypes.h"
#include "abi/symtypes_command.h"
#include "abi/symtypes_model.h"
#include "abi/type_crc.h"
#include "core/error.h"
#include "tests/support.h"

namespace modforge::test {
namespace {

using abi::AbiDiff;
using abi::RootCause;
using abi::SymtypesCorpus;

const char* const kVersions[] = {"6.1", "6.12"};

struct Side {
  std::string symtypes;
  std::map<std::string, std::uint32_t> crcs;
};

// The real genksyms over `header` (as t.h) and `source` (a.c): what kbuild does with
// KBUILD_SYMTYPES=1 for one object.
Side real_genksyms_run(const std::string& version, const std::string& header, const std::string& source) {
  const std::string dir = temp_dir();
  write_file(dir + "/t.h", header);
  write_file(dir + "/a.c", "#include \"t.h\"\n#define EXPORT_SYMBOL(s) __GENKSYMS_EXPORT_SYMBOL(s)\n" + source);
  const std::string out = shell_output("cd " + dir + " && gcc -E -D__GENKSYMS__ a.c | " + real_genksyms(version) +
                                       " -T a.symtypes 2>&1; echo \"exit $?\"");
  EXPECT_NE(out.find("exit 0"), std::string::npos) << out;
  Side s;
  s.symtypes = read_file(dir + "/a.symtypes");
  std::istringstream in(out);
  std::string tag, name, crc;
  while (in >> tag)
    if (tag == "#SYMVER" && in >> name >> crc) s.crcs[name] = static_cast<std::uint32_t>(std::stoul(crc, nullptr, 16));
  EXPECT_FALSE(s.crcs.empty()) << out;
  return s;
}

std::string hex(std::uint32_t v) {
  char b[16];
  std::snprintf(b, sizeof b, "0x%08x", v);
  return b;
}

struct Explained {
  AbiDiff diff;
  SymtypesCorpus old_c, new_c;
  const RootCause* cause(const std::string& key) const {
    for (const RootCause& c : diff.causes)
      if (c.key == key) return &c;
    return nullptr;
  }
};

// Old and new sides through the real genksyms, a "crc" change per export whose #SYMVER
// differs, then the explanation.  Every CRC the model recomputes must equal genksyms'.
std::unique_ptr<Explained> explain(const std::string& version, const std::string& old_h, const std::string& new_h,
                                   const std::string& source, const std::string& new_source = "") {
  auto e = std::make_unique<Explained>();
  const Side o = real_genksyms_run(version, old_h, source);
  const Side n = real_genksyms_run(version, new_h, new_source.empty() ? source : new_source);
  e->old_c.add_file("a.symtypes", e->old_c.keep(o.symtypes));
  e->new_c.add_file("a.symtypes", e->new_c.keep(n.symtypes));
  for (const auto& [sym, crc] : o.crcs) EXPECT_EQ(abi::recompute_crc(e->old_c, sym), crc) << sym;
  for (const auto& [sym, crc] : n.crcs) EXPECT_EQ(abi::recompute_crc(e->new_c, sym), crc) << sym;
  for (const auto& [sym, crc] : o.crcs) {
    auto it = n.crcs.find(sym);
    if (it != n.crcs.end() && it->second != crc) {
      abi::SymbolChange ch;
      ch.symbol = sym;
      ch.kind = "crc";
      ch.old_value = hex(crc);
      ch.new_value = hex(it->second);
      e->diff.changes.push_back(ch);
    }
  }
  EXPECT_FALSE(e->diff.changes.empty()) << "genksyms saw no CRC change";
  abi::explain_crc_changes(e->old_c, e->new_c, e->diff);
  EXPECT_TRUE(e->diff.unexplained.empty());
  for (const abi::SymbolChange& ch : e->diff.changes) EXPECT_FALSE(ch.root_cause.empty()) << ch.symbol;
  return e;
}

bool has_detail(const RootCause& c, const std::string& what, const std::string& name, const std::string& old_text = "*",
                const std::string& new_text = "*") {
  for (const abi::TypeDetail& d : c.details)
    if (d.what == what && d.name == name && (old_text == "*" || d.old_text == old_text) &&
        (new_text == "*" || d.new_text == new_text))
      return true;
  return false;
}

std::string dump(const AbiDiff& d) {
  std::string s;
  for (const RootCause& c : d.causes) {
    s += c.key + " (" + c.type + ") " + c.cls + ":";
    for (const abi::TypeDetail& t : c.details) s += " [" + t.what + " " + t.name + ": " + t.old_text + " -> " + t.new_text + "]";
    for (std::size_t i = 0; i < c.exports.size(); ++i) {
      s += "\n  " + c.exports[i] + ":";
      for (const std::string& step : c.chains[i]) s += " -> " + step;
    }
    s += "\n";
  }
  return s;
}

const char* const kUseS = "int f(struct s *p) { return 0; }\nEXPORT_SYMBOL(f);\n";

TEST(SymtypesDiff, MemberAddedRemovedRetyped) {
  for (const char* v : kVersions) {
    auto e = explain(v, "struct s { int a; int c; };\n", "struct s { long a; int b; };\n", kUseS);
    const RootCause* c = e->cause("s#s");
    ASSERT_NE(c, nullptr) << v << "\n" << dump(e->diff);
    EXPECT_EQ(c->cls, "break");
    EXPECT_TRUE(has_detail(*c, "member-retyped", "a", "int a", "long a")) << dump(e->diff);
    EXPECT_TRUE(has_detail(*c, "member-added", "b", "", "int b")) << dump(e->diff);
    EXPECT_TRUE(has_detail(*c, "member-removed", "c", "int c", "")) << dump(e->diff);
    EXPECT_EQ(c->exports, std::vector<std::string>{"f"});
    EXPECT_EQ(c->chains[0], (abi::Chain{"parameter 1", "struct s"}));
  }
}

// Member names as C declares them: several declarators in one declaration, a pointer to a
// function, a bit-field, an array, the members of anonymous unions and structs (with an
// attribute, as the kernel writes them) counted as the outer struct's.
TEST(SymtypesDiff, MemberNames) {
  const std::string h_old =
      "struct s { int a, *b; void (*cb)(int); unsigned x : 3; int arr[4];\n"
      "  union { int u1; long u2; }; struct { int s1; } __attribute__((aligned(8))); };\n";
  const std::string h_new =
      "struct s { int a, **b; void (*cb)(long); unsigned x : 4; int arr[8];\n"
      "  union { int u1; char u2; }; struct { long s1; } __attribute__((aligned(8))); };\n";
  for (const char* v : kVersions) {
    auto e = explain(v, h_old, h_new, kUseS);
    const RootCause* c = e->cause("s#s");
    ASSERT_NE(c, nullptr) << dump(e->diff);
    EXPECT_TRUE(has_detail(*c, "member-retyped", "b", "int * b", "int * * b")) << dump(e->diff);
    EXPECT_TRUE(has_detail(*c, "member-retyped", "cb")) << dump(e->diff);
    EXPECT_TRUE(has_detail(*c, "member-retyped", "x", "unsigned x : 3", "unsigned x : 4")) << dump(e->diff);
    EXPECT_TRUE(has_detail(*c, "member-retyped", "arr")) << dump(e->diff);
    EXPECT_TRUE(has_detail(*c, "member-retyped", "u2", "long u2", "char u2")) << dump(e->diff);
    EXPECT_TRUE(has_detail(*c, "member-retyped", "s1", "int s1", "long s1")) << dump(e->diff);
    EXPECT_EQ(c->details.size(), 6u) << dump(e->diff);  // a and u1 stayed
  }
}

TEST(SymtypesDiff, MemberReordered) {
  for (const char* v : kVersions) {
    auto e = explain(v, "struct s { int a; long b; char *c; };\n", "struct s { long b; int a; char *c; };\n", kUseS);
    const RootCause* c = e->cause("s#s");
    ASSERT_NE(c, nullptr) << dump(e->diff);
    ASSERT_EQ(c->details.size(), 1u) << dump(e->diff);
    EXPECT_EQ(c->details[0].what, "member-reordered");
    EXPECT_EQ(c->cls, "break");
  }
}

TEST(SymtypesDiff, Enumerators) {
  const std::string use = "int f(enum e x) { return 0; }\nEXPORT_SYMBOL(f);\n";
  for (const char* v : kVersions) {
    auto added = explain(v, "enum e { A, B };\n", "enum e { A, X, B };\n", use);
    const RootCause* c = added->cause("e#e");
    ASSERT_NE(c, nullptr) << dump(added->diff);
    EXPECT_EQ(c->cls, "break");
    EXPECT_TRUE(has_detail(*c, "enumerator-added", "X")) << dump(added->diff);
    EXPECT_TRUE(has_detail(*c, "enumerator-revalued", "B")) << dump(added->diff);

    auto removed = explain(v, "enum e { A, B, C };\n", "enum e { A, C };\n", use);
    c = removed->cause("e#e");
    ASSERT_NE(c, nullptr);
    EXPECT_TRUE(has_detail(*c, "enumerator-removed", "B")) << dump(removed->diff);
    EXPECT_TRUE(has_detail(*c, "enumerator-revalued", "C")) << dump(removed->diff);

    auto revalued = explain(v, "enum e { A, B = 5 };\n", "enum e { A, B = 6 };\n", use);
    c = revalued->cause("e#e");
    ASSERT_NE(c, nullptr);
    EXPECT_TRUE(has_detail(*c, "enumerator-revalued", "B", "B = 5", "B = 6")) << dump(revalued->diff);
    EXPECT_EQ(c->cls, "break");

    auto appended = explain(v, "enum e { A, B };\n", "enum e { A, B, C };\n", use);
    c = appended->cause("e#e");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->cls, "enum-appended") << dump(appended->diff);
    EXPECT_TRUE(has_detail(*c, "enumerator-added", "C")) << dump(appended->diff);
    EXPECT_EQ(c->details.size(), 1u);
  }
}

// An enumerator used as an array size is a record of its own (E#), with its value.
TEST(SymtypesDiff, EnumeratorValueRecord) {
  for (const char* v : kVersions) {
    auto e = explain(v, "enum e { A, N = 4 };\nstruct s { int arr[N]; };\n", "enum e { A, N = 8 };\nstruct s { int arr[N]; };\n",
                     kUseS);
    const RootCause* c = e->cause("E#N");
    ASSERT_NE(c, nullptr) << dump(e->diff);
    EXPECT_TRUE(has_detail(*c, "enumerator-revalued", "N", "4", "8")) << dump(e->diff);
    EXPECT_EQ(c->chains[0], (abi::Chain{"parameter 1", "struct s", "member arr", "enumerator N"})) << dump(e->diff);
  }
}

TEST(SymtypesDiff, TypedefRetargeted) {
  for (const char* v : kVersions) {
    auto e = explain(v, "typedef int my_t;\n", "typedef long my_t;\n", "int f(my_t x) { return 0; }\nEXPORT_SYMBOL(f);\n");
    const RootCause* c = e->cause("t#my_t");
    ASSERT_NE(c, nullptr) << dump(e->diff);
    EXPECT_EQ(c->type, "typedef my_t");
    EXPECT_TRUE(has_detail(*c, "typedef-retargeted", "my_t", "int my_t", "long my_t")) << dump(e->diff);
  }
}

TEST(SymtypesDiff, FunctionSignature) {
  for (const char* v : kVersions) {
    auto e = explain(v, "", "",
                     "int f(int a) { return 0; }\nEXPORT_SYMBOL(f);\nint g(void) { return 0; }\nEXPORT_SYMBOL(g);\n"
                     "int h(int a) { return 0; }\nEXPORT_SYMBOL(h);\nint v;\nEXPORT_SYMBOL(v);\n",
                     "int f(long a) { return 0; }\nEXPORT_SYMBOL(f);\nlong g(void) { return 0; }\nEXPORT_SYMBOL(g);\n"
                     "int h(int a, char *b) { return 0; }\nEXPORT_SYMBOL(h);\nconst int v;\nEXPORT_SYMBOL(v);\n");
    const RootCause* f = e->cause("f");
    ASSERT_NE(f, nullptr) << dump(e->diff);
    EXPECT_TRUE(has_detail(*f, "parameter-retyped", "1", "int", "long")) << dump(e->diff);
    EXPECT_EQ(f->chains[0], abi::Chain{"f"});
    const RootCause* g = e->cause("g");
    ASSERT_NE(g, nullptr);
    EXPECT_TRUE(has_detail(*g, "return-type", "", "int", "long")) << dump(e->diff);
    const RootCause* var = e->cause("v");
    ASSERT_NE(var, nullptr) << dump(e->diff);
    EXPECT_TRUE(has_detail(*var, "variable-retyped", "v", "int v", "const int v")) << dump(e->diff);
    const RootCause* h = e->cause("h");
    ASSERT_NE(h, nullptr);
    EXPECT_TRUE(has_detail(*h, "parameter-added", "2", "", "char *")) << dump(e->diff);
  }
}

TEST(SymtypesDiff, BecameDefined) {
  for (const char* v : kVersions) {
    auto e = explain(v, "struct s;\n", "struct s { int a; };\n", kUseS);
    const RootCause* c = e->cause("s#s");
    ASSERT_NE(c, nullptr) << dump(e->diff);
    EXPECT_EQ(c->cls, "became-defined");
    EXPECT_TRUE(has_detail(*c, "became-defined", "s", "struct s { UNKNOWN }", "struct s { int a ; }")) << dump(e->diff);
  }
}

// One changed type under two exports, reached along different paths: one root cause, both
// exports, the chain of each; the types that only contain it are not causes.
TEST(SymtypesDiff, SharedTypeAndChains) {
  const std::string h_old = "struct inner { int x; };\nstruct outer { long pad; struct inner *in; };\n";
  const std::string h_new = "struct inner { int x; int y; };\nstruct outer { long pad; struct inner *in; };\n";
  const std::string src =
      "int f(int n, struct outer *o) { return 0; }\nEXPORT_SYMBOL(f);\n"
      "struct inner *g(void) { return 0; }\nEXPORT_SYMBOL(g);\n"
      "int k(int n) { return 0; }\nEXPORT_SYMBOL(k);\n";
  for (const char* v : kVersions) {
    auto e = explain(v, h_old, h_new, src);
    ASSERT_EQ(e->diff.causes.size(), 1u) << dump(e->diff);
    const RootCause& c = e->diff.causes[0];
    EXPECT_EQ(c.key, "s#inner");
    EXPECT_EQ(c.exports, (std::vector<std::string>{"f", "g"}));
    EXPECT_EQ(c.chains[0], (abi::Chain{"parameter 2", "struct outer", "member in", "struct inner"})) << dump(e->diff);
    EXPECT_EQ(c.chains[1], (abi::Chain{"return type", "struct inner"})) << dump(e->diff);
    EXPECT_EQ(e->diff.changes.size(), 2u);  // k's CRC did not change
  }
}

// genksyms ignores a struct's own attributes and parameter names: an alignment change leaves
// the symtypes and the CRC as they were (checked here with the real tool; an attribute on a
// member or a function, by contrast, is kept in the tokens and changes both).  A CRC change with identical symtypes therefore
// never comes from genksyms on the same types: it means the Module.symvers CRC came from
// elsewhere (another toolchain or tool, a stale symtypes set).  Such a change, as
// Module.symvers would show it, is classed "no-type-change", never dropped.
TEST(SymtypesDiff, CrcChangeWithoutTypeChange) {
  for (const char* v : kVersions) {
    const Side o = real_genksyms_run(v, "struct s { int a; };\n", kUseS);
    // the struct's alignment and the parameter's name change; genksyms sees neither
    const Side n = real_genksyms_run(v, "struct s { int a; } __attribute__((aligned(16)));\n",
                                     "int f(struct s *renamed) { return 0; }\nEXPORT_SYMBOL(f);\n");
    EXPECT_EQ(o.symtypes, n.symtypes);
    EXPECT_EQ(o.crcs, n.crcs);
    SymtypesCorpus oc, nc;
    oc.add_file("a.symtypes", o.symtypes);
    nc.add_file("a.symtypes", n.symtypes);
    AbiDiff d;
    abi::SymbolChange ch;
    ch.symbol = "f";
    ch.kind = "crc";
    ch.old_value = hex(o.crcs.at("f"));
    ch.new_value = hex(o.crcs.at("f") ^ 1);
    d.changes.push_back(ch);
    ch.symbol = "gone";  // in Module.symvers but in neither symtypes set
    d.changes.push_back(ch);
    abi::explain_crc_changes(oc, nc, d);
    ASSERT_EQ(d.causes.size(), 1u);
    EXPECT_EQ(d.causes[0].cls, "no-type-change");
    EXPECT_EQ(d.causes[0].exports, std::vector<std::string>{"f"});
    EXPECT_EQ(d.unexplained, std::vector<std::string>{"gone"});
    EXPECT_TRUE(d.have_symtypes);
  }
}

// The same changes read from consolidated files (what `modforge symtypes --consolidate`
// writes) are explained the same way.
TEST(SymtypesDiff, ConsolidatedInputAndCommand) {
  const std::string h_old = "struct inner { int x; };\nstruct outer { long pad; struct inner *in; };\n";
  const std::string h_new = "struct inner { int x; int y; };\nstruct outer { long pad; struct inner *in; };\n";
  const std::string src = "int f(int n, struct outer *o) { return 0; }\nEXPORT_SYMBOL(f);\n";
  auto e = explain("6.12", h_old, h_new, src);
  const std::string dir = temp_dir();
  for (const char* side : {"old", "new"}) {
    const Side s = real_genksyms_run("6.12", side[0] == 'o' ? h_old : h_new, src);
    std::filesystem::create_directories(dir + "/" + side + "/net/core");
    write_file(dir + "/" + side + "/net/core/a.symtypes", s.symtypes);
    std::ostringstream out, err;
    EXPECT_EQ(abi::symtypes_main({"--consolidate", dir + "/" + side, "-o", dir + "/" + side + ".kabi"}, out, err), 0)
        << err.str();
    EXPECT_EQ(read_file(dir + "/" + side + ".kabi").substr(0, 22), "/* net/core/a.symtypes");
  }
  auto oc = abi::load_symtypes(dir + "/old.kabi"), nc = abi::load_symtypes(dir + "/new.kabi");
  AbiDiff d;
  d.changes = e->diff.changes;
  for (auto& ch : d.changes) ch.root_cause.clear(), ch.root_causes.clear();
  abi::explain_crc_changes(*oc, *nc, d);
  ASSERT_EQ(d.causes.size(), 1u);
  EXPECT_EQ(dump(d), dump(e->diff));
  std::ostringstream out, err;
  EXPECT_EQ(abi::symtypes_main({"--consolidate", dir + "/none"}, out, err), 2);
  EXPECT_EQ(abi::symtypes_main({}, out, err), 2);
  EXPECT_EQ(abi::symtypes_main({"--consolidate", dir + "/nonexistent", "-o", dir + "/x"}, out, err), 2);
}

}  // namespace
}  // namespace modforge::test
