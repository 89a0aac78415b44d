// check abi's parsers and matchers: the waiver formats (stablelists, SUSE severity rules,
// Debian ignore-changes), the two wildcard languages, and the Module.symvers comparison.
#include <gtest/gtest.h>

#include "abi/symvers_diff.h"
#include "abi/waivers.h"
#include "core/error.h"

using namespace modforge;
using namespace modforge::abi;

namespace {

std::string error_of(auto&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(AbiWildcards, SuseStarsCrossSlashes) {
  EXPECT_TRUE(match_wildcard("drivers/net/*", "drivers/net/wireless/foo"));
  EXPECT_TRUE(match_wildcard("*not_stable*", "a_not_stable"));
  EXPECT_TRUE(match_wildcard("vm?inux", "vmlinux"));
  EXPECT_FALSE(match_wildcard("vm?inux", "vmlnux"));
  EXPECT_FALSE(match_wildcard("kvm_*", "xkvm_a"));
  EXPECT_TRUE(match_wildcard("*", ""));
  EXPECT_FALSE(match_wildcard("", "a"));
  EXPECT_TRUE(match_wildcard("**a**b**", "xxaxxbxx"));
}

TEST(AbiWildcards, DebianStarStaysInAComponent) {
  EXPECT_FALSE(match_debian_pattern("drivers/*", "drivers/net/foo"));
  EXPECT_TRUE(match_debian_pattern("drivers/*", "drivers/foo"));
  EXPECT_TRUE(match_debian_pattern("drivers/**", "drivers/net/foo"));
  EXPECT_TRUE(match_debian_pattern("module/**/foo", "module/a/b/foo"));
  EXPECT_TRUE(match_debian_pattern("kvm_*", "kvm_"));
  EXPECT_FALSE(match_debian_pattern("sym_g?l", "sym_gpl"));  // '?' is literal in buildcheck.py
  EXPECT_TRUE(match_debian_pattern("sym_g?l", "sym_g?l"));
  EXPECT_TRUE(match_debian_pattern("***", "a/b"));  // "**" then "*"
}

TEST(AbiStablelist, RedHatAndAndroid) {
  auto rh = parse_stablelist("[rhel9_x86_64_stablelist]\n\t__alloc_pages\n  kfree # freed\n\n# only a comment\n", "kabi");
  ASSERT_EQ(rh.size(), 2u);
  EXPECT_EQ(rh[0].symbol, "__alloc_pages");
  EXPECT_EQ(rh[0].origin, "kabi:2");
  EXPECT_EQ(rh[1].symbol, "kfree");
  auto android = parse_stablelist("[abi_symbol_list]\n  alloc_chrdev_region\n[abi_symbol_list]\n  kfree\n", "list");
  EXPECT_EQ(android.size(), 2u);
  EXPECT_EQ(error_of([] { parse_stablelist("[x]\nsym PASS\n", "f"); }),
            "f:2: expected one symbol name per line, found 'sym PASS'");
  EXPECT_EQ(error_of([] { parse_stablelist("[x\n", "f"); }), "f:1: a section header without its ']'");
  EXPECT_NE(error_of([] { parse_stablelist("[abi_symbol_list]\n", "f"); }), "");
}

TEST(AbiSeverityRules, KindInferredAsSuseDoes) {
  auto r = parse_severity_rules("lib/important* FAIL\nvmlinux PASS\nTEST_IMPORTANT FAIL\n*not_stable*   PASS # c\n* PASS\n", "sev");
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0].kind, SeverityRule::Kind::module);
  EXPECT_FALSE(r[0].pass);
  EXPECT_EQ(r[1].kind, SeverityRule::Kind::module);
  EXPECT_EQ(r[2].kind, SeverityRule::Kind::ns);
  EXPECT_EQ(r[3].kind, SeverityRule::Kind::symbol);
  EXPECT_TRUE(r[3].pass);
  EXPECT_EQ(r[3].text, "*not_stable* PASS");
  EXPECT_EQ(r[3].origin, "sev:4");
  EXPECT_EQ(r[4].kind, SeverityRule::Kind::ns);  // no lower-case letter
}

TEST(AbiSeverityRules, ExplicitKindAndErrors) {
  auto r = parse_severity_rules("SYMBOL FOO_BAR PASS\nmodule kvm FAIL\nNamespace ns PASS\n", "f");
  EXPECT_EQ(r[0].kind, SeverityRule::Kind::symbol);
  EXPECT_EQ(r[1].kind, SeverityRule::Kind::module);
  EXPECT_EQ(r[2].kind, SeverityRule::Kind::ns);
  EXPECT_EQ(error_of([] { parse_severity_rules("foo pass\n", "f"); }),
            "f:1: invalid verdict 'pass', must be either PASS or FAIL");
  EXPECT_EQ(error_of([] { parse_severity_rules("\nfoo\n", "f"); }), "f:2: the rule does not specify a verdict");
  EXPECT_NE(error_of([] { parse_severity_rules("a b c d\n", "f"); }), "");
  EXPECT_NE(error_of([] { parse_severity_rules("TYPE foo PASS\n", "f"); }), "");
  EXPECT_NE(error_of([] { parse_severity_rules("# nothing\n", "f"); }), "");
}

TEST(AbiIgnoreChanges, DebianDefinesAndPlainLists) {
  auto d = parse_ignore_changes(
      "[base]\nignore-changes: not_this\n\n[abi]\nabiname: 55\nignore-changes: first\n module:drivers/net/**\n\tkvm_*  name:x\n"
      "other: y\n z\n[image]\nignore-changes: nor_this\n",
      "defines");
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[0].pattern, "first");
  EXPECT_EQ(d[0].origin, "defines:6");
  EXPECT_TRUE(d[1].module);
  EXPECT_EQ(d[1].pattern, "drivers/net/**");
  EXPECT_EQ(d[1].text, "module:drivers/net/**");
  EXPECT_EQ(d[2].pattern, "kvm_*");
  EXPECT_EQ(d[3].pattern, "x");
  EXPECT_FALSE(d[3].module);
  auto plain = parse_ignore_changes("kvm_* # comment\nmodule:vmlinux a\n", "list");
  ASSERT_EQ(plain.size(), 3u);
  EXPECT_EQ(plain[2].origin, "list:2");
  EXPECT_EQ(error_of([] { parse_ignore_changes("bogus:x\n", "f"); }),
            "f:1: unsupported ignore type 'bogus' in 'bogus:x' (name: or module:)");
  EXPECT_NE(error_of([] { parse_ignore_changes("[abi]\nabiname: 1\n", "f"); }), "");
  EXPECT_NE(error_of([] { parse_ignore_changes("module:\n", "f"); }), "");
  EXPECT_NE(error_of([] { parse_ignore_changes("\n# none\n", "f"); }), "");
}

TEST(AbiSymversDiff, EveryKindAndItsBreak) {
  const std::string o =
      "0x00000001\ta\tvmlinux\tEXPORT_SYMBOL\t\n"
      "0x00000002\tgone\tvmlinux\tEXPORT_SYMBOL\t\n"
      "0x00000003\tgpl\tvmlinux\tEXPORT_SYMBOL\t\n"
      "0x00000004\tns\tfoo/bar\tEXPORT_SYMBOL_GPL\tNS\n"
      "0x00000005\tdup\tvmlinux\tEXPORT_SYMBOL\t\n"
      "0x00000009\tdup\tvmlinux\tEXPORT_SYMBOL\t\n";
  const std::string n =
      "0x10000001\ta\tvmlinux\tEXPORT_SYMBOL\t\n"
      "0x00000003\tgpl\tvmlinux\tEXPORT_SYMBOL_GPL\t\n"
      "0x00000004\tns\tfoo/baz\tEXPORT_SYMBOL\t\n"
      "0x00000005\tdup\tvmlinux\tEXPORT_SYMBOL\t\n"
      "0x00000006\tnew\tvmlinux\tEXPORT_SYMBOL\tX\n";
  SymversFile of = parse_symvers(o, "old"), nf = parse_symvers(n, "new");
  AbiDiff d;
  diff_symvers(of, nf, d);
  std::vector<std::string> got;
  for (const SymbolChange& c : d.changes)
    got.push_back(c.symbol + ":" + c.kind + ":" + c.old_value + ">" + c.new_value + (c.breaks ? ":break" : ""));
  EXPECT_EQ(got, (std::vector<std::string>{"a:crc:0x00000001>0x10000001:break", "gone:removed:0x00000002>:break",
                                           "gpl:export-type:EXPORT_SYMBOL>EXPORT_SYMBOL_GPL:break",
                                           "new:added:>0x00000006", "ns:export-type:EXPORT_SYMBOL_GPL>EXPORT_SYMBOL",
                                           "ns:namespace:NS>", "ns:module:foo/bar>foo/baz"}));
}

TEST(AbiWaivers, FirstRuleWinsAndStaleOnes) {
  const std::string o = "0x00000001\ta_x\tdrivers/net/foo\tEXPORT_SYMBOL\t\n0x00000002\tb\tvmlinux\tEXPORT_SYMBOL\tNS\n";
  const std::string n = "0x00000011\ta_x\tdrivers/net/foo\tEXPORT_SYMBOL\t\n0x00000012\tb\tvmlinux\tEXPORT_SYMBOL\tNS\n";
  SymversFile of = parse_symvers(o, "old"), nf = parse_symvers(n, "new");
  AbiDiff d;
  diff_symvers(of, nf, d);
  Waivers w;
  w.rules = parse_severity_rules("a_* FAIL\ndrivers/* PASS\nNS PASS\nzzz PASS\n", "r");
  w.ignores = parse_ignore_changes("a_*\nnothing\n", "i");
  apply_waivers(w, of, nf, d);
  ASSERT_EQ(d.changes.size(), 2u);
  EXPECT_EQ(d.changes[0].waived_by, "");  // a_* FAIL came first, the ignore pattern does not count
  EXPECT_EQ(d.changes[1].waived_by, "r:3: NS PASS");
  EXPECT_EQ(d.stale_waivers, (std::vector<std::string>{"r:2: drivers/* PASS", "r:4: zzz PASS", "i:2: ignore-changes nothing"}));
}
