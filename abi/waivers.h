// `modforge check abi`'s waivers, read from the formats distribution kernel teams keep:
//
//   --stablelist FILE      Red Hat's kABI stablelists ("[rhel9_x86_64_stablelist]" then one
//                          symbol per line, tab or space indented) and Android's
//                          "[abi_symbol_list]" files; '#' starts a comment.  With stablelists,
//                          only the symbols they list can break: a break of any other symbol
//                          is waived.
//   --rules FILE           SUSE's kABI severity rules (suse-kabi-tools, ksymvers --rules):
//                          "PATTERN PASS|FAIL" per line, the pattern a module when it has a
//                          '/' or is "vmlinux", a namespace when it has no lower-case letter,
//                          else a symbol; shell wildcards * and ? (matching '/' too); '#'
//                          comments; the first matching rule decides (PASS waives, FAIL keeps
//                          the break), over every rules file in command-line order.  Our
//                          extension: "MODULE|NAMESPACE|SYMBOL PATTERN PASS|FAIL" names the
//                          kind instead of inferring it.
//   --ignore-changes FILE  Debian's ignore-changes patterns (debian/config's
//                          "[abi] ignore-changes:" value, or one pattern per line):
//                          "module:PATTERN" matches the module path, "name:PATTERN" or a bare
//                          PATTERN the symbol name; '*' matches within one path component,
//                          '**' across them (buildcheck.py's translation).  Any match waives.
//
// The order: an explicit severity rule decides first (FAIL keeps the break whatever else says);
// then an ignore-changes match waives; then, with stablelists, a symbol they do not list is
// waived.  Every waiver names where it came from ("file:line: rule").  A waiver that matched
// no change is stale (a stablelist entry: one that names no symbol of the old kernel).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "abi/abi_diff.h"
#include "core/symvers.h"

namespace modforge::abi {

// A pattern of either language, compiled once: most patterns fail on their literal prefix or
// suffix; the rest go through a table walk linear in pattern x string (no backtracking
// blow-up on patterns full of stars).
class Glob {
public:
  // SUSE's wildcards: '*' any run of characters, '?' one character ('/' included).
  static Glob suse(std::string_view pattern);
  // buildcheck.py's: '*' any run without '/', '**' any run; every other character literal.
  static Glob debian(std::string_view pattern);
  bool match(std::string_view s) const;

  enum class Tok : unsigned char { literal, one, star_any, star_component };
  struct Token {
    Tok t;
    char c = 0;
  };

private:
  void finish();
  std::vector<Token> toks_;
  std::string prefix_, suffix_;  // the literal characters before the first and after the last wildcard
  bool literal_ = true;          // no wildcard at all: prefix_ is the whole pattern
};

struct StablelistEntry {
  std::string symbol;
  std::string origin;  // "file:line"
};

struct SeverityRule {
  enum class Kind { module, ns, symbol } kind = Kind::symbol;
  std::string pattern;
  bool pass = false;   // PASS (waive) or FAIL (keep the break)
  std::string origin;  // "file:line"
  std::string text;    // the rule as written (without its comment)
  Glob glob = Glob::suse("");
};

struct IgnorePattern {
  bool module = false;  // "module:" (else the symbol name)
  std::string pattern;  // without the prefix
  std::string origin;
  std::string text;     // as written
  Glob glob = Glob::debian("");
};

// Each throws Error("<path>:<line>: <cause>") for a line that is not of its format.
std::vector<StablelistEntry> parse_stablelist(std::string_view text, const std::string& path);
std::vector<SeverityRule> parse_severity_rules(std::string_view text, const std::string& path);
std::vector<IgnorePattern> parse_ignore_changes(std::string_view text, const std::string& path);

// Glob::suse(pattern).match(s), Glob::debian(pattern).match(s).
bool match_wildcard(std::string_view pattern, std::string_view s);
bool match_debian_pattern(std::string_view pattern, std::string_view s);

struct Waivers {
  std::vector<StablelistEntry> stablelist;
  std::vector<std::string> stablelist_files;
  std::vector<SeverityRule> rules;
  std::vector<IgnorePattern> ignores;
  bool empty() const { return stablelist_files.empty() && rules.empty() && ignores.empty(); }
};

// Reads the files (Error when one is missing or malformed).
Waivers load_waivers(const std::vector<std::string>& stablelists, const std::vector<std::string>& rules,
                     const std::vector<std::string>& ignore_changes);

// Sets SymbolChange::waived_by on the breaks the waivers cover and fills diff.stale_waivers.
// The files give each symbol's namespace (rules) and the old kernel's symbols (a stablelist
// entry that names none of them is stale).  Module and namespace rules match the old or the
// new value.
void apply_waivers(const Waivers& w, const SymversFile& old_file, const SymversFile& new_file, AbiDiff& diff);

}  // namespace modforge::abi
