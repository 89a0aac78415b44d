// check abi's waiver parsers (abi/waivers.h) on arbitrary text: the first byte picks the
// format (stablelist, SUSE severity rules, Debian ignore-changes); what parses is applied
// to a small fixed diff, and every pattern is matched both ways against the text's lines.
// A refused input (Error) is fine; a crash, a sanitizer report, or a waiver that is neither
// used nor reported stale is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "abi/symvers_diff.h"
#include "abi/waivers.h"
#include "core/error.h"

using namespace modforge;
using namespace modforge::abi;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string old_text =
      "0x00000001\tkvm_x\tarch/x86/kvm/kvm\tEXPORT_SYMBOL_GPL\t\n0x00000002\tgone\tdrivers/net/foo\tEXPORT_SYMBOL\t\n"
      "0x00000003\tns\tvmlinux\tEXPORT_SYMBOL\tNS\n";
  static const std::string new_text =
      "0x00000011\tkvm_x\tarch/x86/kvm/kvm\tEXPORT_SYMBOL_GPL\t\n0x00000003\tns\tvmlinux\tEXPORT_SYMBOL_GPL\tNS_B\n";
  static const SymversFile old_file = parse_symvers(old_text, "old"), new_file = parse_symvers(new_text, "new");
  if (size < 1) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  Waivers w;
  try {
    switch (data[0] % 3) {
      case 0:
        w.stablelist = parse_stablelist(text, "fuzz");
        w.stablelist_files.push_back("fuzz");
        break;
      case 1: w.rules = parse_severity_rules(text, "fuzz"); break;
      default: w.ignores = parse_ignore_changes(text, "fuzz"); break;
    }
  } catch (const Error&) {
    return 0;
  }
  AbiDiff d;
  diff_symvers(old_file, new_file, d);
  apply_waivers(w, old_file, new_file, d);
  // Every rule and pattern either decided something or is reported stale: count both.
  std::size_t stale = d.stale_waivers.size();
  if (stale > w.stablelist.size() + w.rules.size() + w.ignores.size()) std::abort();
  for (const SeverityRule& r : w.rules) (void)match_wildcard(r.pattern, text.substr(0, 256));
  for (const IgnorePattern& p : w.ignores) (void)match_debian_pattern(p.pattern, text.substr(0, 256));
  return 0;
}
