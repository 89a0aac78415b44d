// check abi's reports on a hand-built AbiDiff (the model, not symtypes behaviour): the
// summary first, then the root causes with a chain or two, then the symbols; JSON's schema
// fields; JUnit's one testcase per symbol with a failure for an unwaived break.
#include <gtest/gtest.h>

#include <sstream>

#include "abi/abi_report.h"

using namespace modforge::abi;

namespace {

AbiDiff sample() {
  AbiDiff d;
  SymbolChange a{.symbol = "dev_queue_xmit", .kind = "crc", .old_value = "0x00000001", .new_value = "0x00000002",
                 .old_module = "vmlinux", .new_module = "vmlinux", .breaks = true, .root_cause = "s#net_device"};
  SymbolChange b{.symbol = "kvm_x", .kind = "crc", .old_value = "0x00000003", .new_value = "0x00000004",
                 .old_module = "arch/x86/kvm/kvm", .new_module = "arch/x86/kvm/kvm", .breaks = true,
                 .waived_by = "rules:1: kvm_* PASS"};
  SymbolChange c{.symbol = "kvm_x", .kind = "module", .old_value = "arch/x86/kvm/kvm", .new_value = "vmlinux",
                 .old_module = "arch/x86/kvm/kvm", .new_module = "vmlinux"};
  SymbolChange e{.symbol = "new_one", .kind = "added", .new_value = "0x00000005", .new_module = "vmlinux"};
  d.changes = {a, b, c, e};
  d.have_symtypes = true;
  RootCause rc{.key = "s#net_device", .type = "struct net_device", .cls = "break"};
  rc.details.push_back({.what = "member-added", .name = "foo", .new_text = "int foo", .new_index = 7});
  rc.exports = {"dev_queue_xmit"};
  rc.chains = {{"parameter 1 (skb)", "struct sk_buff", "member dev", "struct net_device"}};
  d.causes = {rc};
  d.stale_waivers = {"rules:2: zzz PASS"};
  return d;
}

template <class W>
std::string render(W write, const AbiDiff& d) {
  AbiReport r{{"old", "old/Module.symvers", 10}, {"new", "new/Module.symvers", 11}, &d};
  std::ostringstream out;
  write(out, r);
  return out.str();
}

}  // namespace

TEST(AbiReports, SummaryCountsBreaksAndWaivers) {
  AbiDiff d = sample();
  AbiSummary s = summarize(d);
  EXPECT_EQ(s.changes, 4u);
  EXPECT_EQ(s.symbols, 3u);
  EXPECT_EQ(s.crc, 2u);
  EXPECT_EQ(s.moved, 1u);
  EXPECT_EQ(s.added, 1u);
  EXPECT_EQ(s.breaks, 1u);
  EXPECT_EQ(s.waived, 1u);
}

TEST(AbiReports, TextOrder) {
  const std::string t = render(write_abi_text, sample());
  const auto summary = t.find("4 changes in 3 symbols"), causes = t.find("root causes (1)"),
             changes = t.find("\nchanges:"), stale = t.find("stale waivers (matched nothing)");
  ASSERT_NE(summary, std::string::npos);
  ASSERT_NE(causes, std::string::npos);
  ASSERT_NE(changes, std::string::npos);
  ASSERT_NE(stale, std::string::npos);
  EXPECT_LT(summary, causes);
  EXPECT_LT(causes, changes);
  EXPECT_LT(changes, stale);
  EXPECT_NE(t.find("e.g. dev_queue_xmit -> parameter 1 (skb) -> struct sk_buff -> member dev -> struct net_device"),
            std::string::npos);
  EXPECT_NE(t.find("member-added foo: int foo"), std::string::npos);
  EXPECT_NE(t.find("waived by rules:1: kvm_* PASS"), std::string::npos);
}

TEST(AbiReports, JsonFields) {
  const std::string j = render(write_abi_json, sample());
  EXPECT_EQ(j.rfind("{\"schema\": \"modforge-check-abi/1\"", 0), 0u);
  for (const char* want : {"\"verdict\": \"breaks\"", "\"breaks\": 1, \"waived\": 1", "\"class\": \"break\"", "\"count\": 1",
                           "\"chains\": [[\"parameter 1 (skb)\", \"struct sk_buff\", \"member dev\", \"struct net_device\"]]",
                           "\"waived_by\": \"rules:1: kvm_* PASS\"", "\"root_cause\": \"s#net_device\"",
                           "\"old\": null, \"new\": \"0x00000005\"", "\"stale_waivers\": [\"rules:2: zzz PASS\"]"})
    EXPECT_NE(j.find(want), std::string::npos) << want;
}

TEST(AbiReports, JunitOneCasePerSymbol) {
  const std::string x = render(write_abi_junit, sample());
  EXPECT_NE(x.find("tests=\"3\" failures=\"1\""), std::string::npos);
  EXPECT_NE(x.find("<testcase classname=\"vmlinux\" name=\"dev_queue_xmit\">\n      <failure type=\"crc\""), std::string::npos);
  EXPECT_EQ(x.find("name=\"kvm_x\">\n      <failure"), std::string::npos);  // waived
  EXPECT_NE(x.find("<property name=\"stale-waiver\" value=\"rules:2: zzz PASS\"/>"), std::string::npos);
}

TEST(AbiReports, MarkdownSections) {
  const std::string m = render(write_abi_markdown, sample());
  EXPECT_NE(m.find("**The ABI breaks**"), std::string::npos);
  EXPECT_NE(m.find("#### Root causes (1)"), std::string::npos);
  EXPECT_NE(m.find("#### Breaks (1)"), std::string::npos);
  EXPECT_NE(m.find("Waived breaks (1)"), std::string::npos);
  EXPECT_NE(m.find("#### Stale waivers (1)"), std::string::npos);
  EXPECT_LT(m.find("Root causes"), m.find("Breaks (1)"));
}
