#include "abi/waivers.h"

#include <cerrno>
#include <unordered_map>
#include <unordered_set>

#include "core/error.h"
#include "core/fd_io.h"
#include "core/lines.h"

namespace modforge::abi {

namespace {


std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_blank(s[i])) ++i;
    std::size_t b = i;
    while (i < s.size() && !is_blank(s[i])) ++i;
    if (i > b) out.push_back(s.substr(b, i - b));
  }
  return out;
}

std::string_view before_comment(std::string_view line) { return line.substr(0, line.find('#')); }

// Calls f(line, 1-based number) for every line of `text`.
template <class F>
void each_line(std::string_view text, F&& f) {
  std::size_t n = 0;
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    f(text.substr(0, nl), ++n);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
  }
}

std::string at(const std::string& path, std::size_t line) { return path + ":" + std::to_string(line); }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
  return true;
}

}  // namespace

Glob Glob::suse(std::string_view pattern) {
  Glob g;
  for (char c : pattern) {
    if (c == '*') {
      if (g.toks_.empty() || g.toks_.back().t != Tok::star_any) g.toks_.push_back({Tok::star_any});
    } else {
      g.toks_.push_back({c == '?' ? Tok::one : Tok::literal, c});
    }
  }
  g.finish();
  return g;
}

Glob Glob::debian(std::string_view pattern) {
  Glob g;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '*') {
      g.toks_.push_back({Tok::literal, pattern[i]});
    } else if (i + 1 < pattern.size() && pattern[i + 1] == '*') {
      g.toks_.push_back({Tok::star_any});  // buildcheck.py splits on '\*\*?': "***" is "**" then "*"
      ++i;
    } else {
      g.toks_.push_back({Tok::star_component});
    }
  }
  g.finish();
  return g;
}

void Glob::finish() {
  std::size_t first = 0, last = toks_.size();
  while (first < toks_.size() && toks_[first].t == Tok::literal) prefix_ += toks_[first++].c;
  literal_ = first == toks_.size();
  if (literal_) return;
  while (last > first && toks_[last - 1].t == Tok::literal) --last;
  for (std::size_t i = last; i < toks_.size(); ++i) suffix_ += toks_[i].c;
}

bool Glob::match(std::string_view s) const {
  if (literal_) return s == prefix_;
  if (s.size() < prefix_.size() + suffix_.size() || s.substr(0, prefix_.size()) != prefix_ ||
      s.substr(s.size() - suffix_.size()) != suffix_)
    return false;
  std::vector<char> cur(s.size() + 1, 0), next(s.size() + 1, 0);
  cur[0] = 1;
  for (const Token& k : toks_) {
    std::fill(next.begin(), next.end(), 0);
    if (k.t == Tok::star_any || k.t == Tok::star_component) {
      for (std::size_t j = 0; j <= s.size(); ++j)
        next[j] = cur[j] || (j > 0 && next[j - 1] && (k.t == Tok::star_any || s[j - 1] != '/'));
    } else {
      for (std::size_t j = 0; j < s.size(); ++j)
        if (cur[j] && (k.t == Tok::one || s[j] == k.c)) next[j + 1] = 1;
    }
    cur.swap(next);
  }
  return cur[s.size()];
}

bool match_wildcard(std::string_view pattern, std::string_view s) { return Glob::suse(pattern).match(s); }

bool match_debian_pattern(std::string_view pattern, std::string_view s) { return Glob::debian(pattern).match(s); }

std::vector<StablelistEntry> parse_stablelist(std::string_view text, const std::string& path) {
  std::vector<StablelistEntry> out;
  each_line(text, [&](std::string_view line, std::size_t n) {
    std::string_view body = trim_blanks(before_comment(line));
    if (body.empty()) return;
    if (body.front() == '[') {
      if (body.back() != ']') throw Error(at(path, n) + ": a section header without its ']'");
      return;  // [rhel9_x86_64_stablelist], [abi_symbol_list]: the list's name
    }
    std::vector<std::string_view> w = words(body);
    if (w.size() != 1)
      throw Error(at(path, n) + ": expected one symbol name per line, found '" + std::string(body) + "'");
    out.push_back({std::string(w[0]), at(path, n)});
  });
  if (out.empty()) throw Error(path + ": no symbol in this stablelist (it would waive every break)");
  return out;
}

std::vector<SeverityRule> parse_severity_rules(std::string_view text, const std::string& path) {
  std::vector<SeverityRule> out;
  each_line(text, [&](std::string_view line, std::size_t n) {
    std::vector<std::string_view> w = words(before_comment(line));
    if (w.empty()) return;
    SeverityRule r;
    r.origin = at(path, n);
    std::string_view pattern, verdict;
    if (w.size() == 2) {
      pattern = w[0];
      verdict = w[1];
      // suse-kabi-tools' inference: a path or vmlinux is a module, an all-capitals word a namespace.
      bool has_lower = false;
      for (char c : pattern) has_lower |= (c >= 'a' && c <= 'z');
      r.kind = pattern.find('/') != std::string_view::npos || pattern == "vmlinux" ? SeverityRule::Kind::module
               : !has_lower                                                          ? SeverityRule::Kind::ns
                                                                                     : SeverityRule::Kind::symbol;
    } else if (w.size() == 3) {
      if (iequals(w[0], "module")) r.kind = SeverityRule::Kind::module;
      else if (iequals(w[0], "namespace")) r.kind = SeverityRule::Kind::ns;
      else if (iequals(w[0], "symbol")) r.kind = SeverityRule::Kind::symbol;
      else throw Error(r.origin + ": unknown rule kind '" + std::string(w[0]) + "' (MODULE, NAMESPACE or SYMBOL)");
      pattern = w[1];
      verdict = w[2];
    } else {
      throw Error(r.origin + (w.size() == 1 ? ": the rule does not specify a verdict"
                                            : ": expected [MODULE|NAMESPACE|SYMBOL] PATTERN PASS|FAIL"));
    }
    if (verdict == "PASS") r.pass = true;
    else if (verdict != "FAIL")
      throw Error(r.origin + ": invalid verdict '" + std::string(verdict) + "', must be either PASS or FAIL");
    r.pattern = std::string(pattern);
    r.glob = Glob::suse(pattern);
    for (std::size_t i = 0; i < w.size(); ++i) r.text += (i ? " " : "") + std::string(w[i]);
    out.push_back(std::move(r));
  });
  if (out.empty()) throw Error(path + ": no rule in this severity rules file");
  return out;
}

std::vector<IgnorePattern> parse_ignore_changes(std::string_view text, const std::string& path) {
  std::vector<IgnorePattern> out;
  auto add = [&](std::string_view word, std::size_t n) {
    IgnorePattern p;
    p.origin = at(path, n);
    p.text = std::string(word);
    std::size_t colon = word.find(':');
    if (colon != std::string_view::npos) {
      std::string_view type = word.substr(0, colon);
      if (type == "module") p.module = true;
      else if (type != "name")
        throw Error(p.origin + ": unsupported ignore type '" + std::string(type) + "' in '" + p.text + "' (name: or module:)");
      word.remove_prefix(colon + 1);
    }
    if (word.empty()) throw Error(p.origin + ": an empty pattern in '" + p.text + "'");
    p.pattern = std::string(word);
    p.glob = Glob::debian(word);
    out.push_back(std::move(p));
  };
  // debian/config/defines (ConfigParser): sections, "key: value" with indented continuation
  // lines; only [abi...] sections' ignore-changes is read.  Without any section header the
  // file is a plain list of patterns.
  bool ini = false;
  each_line(text, [&](std::string_view line, std::size_t) {
    std::string_view b = trim_blanks(line);
    if (!b.empty() && b.front() == '[') ini = true;
  });
  bool in_abi = false, in_key = false, found_key = false;
  each_line(text, [&](std::string_view line, std::size_t n) {
    if (!ini) {
      for (std::string_view w : words(before_comment(line))) add(w, n);
      return;
    }
    std::string_view b = trim_blanks(line);
    if (b.empty() || b.front() == '#' || b.front() == ';') return;
    if (!is_blank(line.front())) {
      in_key = false;
      if (b.front() == '[') {
        if (b.back() != ']') throw Error(at(path, n) + ": a section header without its ']'");
        in_abi = b.substr(1, 3) == "abi";
        return;
      }
      std::size_t sep = b.find_first_of(":=");
      if (sep == std::string_view::npos) throw Error(at(path, n) + ": expected 'key: value' or a [section]");
      if (in_abi && trim_blanks(b.substr(0, sep)) == "ignore-changes") {
        in_key = found_key = true;
        for (std::string_view w : words(b.substr(sep + 1))) add(w, n);
      }
      return;
    }
    if (in_key)
      for (std::string_view w : words(b)) add(w, n);
  });
  if (ini && !found_key) throw Error(path + ": no [abi] ignore-changes in it");
  if (out.empty()) throw Error(path + ": no ignore-changes pattern in it");
  return out;
}

Waivers load_waivers(const std::vector<std::string>& stablelists, const std::vector<std::string>& rules,
                     const std::vector<std::string>& ignore_changes) {
  Waivers w;
  auto read = [](const std::string& path) {
    std::string text;
    if (!read_whole_file(path, text)) throw Error(errno_message(path, errno));
    return text;
  };
  for (const std::string& f : stablelists) {
    for (StablelistEntry& e : parse_stablelist(read(f), f)) w.stablelist.push_back(std::move(e));
    w.stablelist_files.push_back(f);
  }
  for (const std::string& f : rules)
    for (SeverityRule& r : parse_severity_rules(read(f), f)) w.rules.push_back(std::move(r));
  for (const std::string& f : ignore_changes)
    for (IgnorePattern& p : parse_ignore_changes(read(f), f)) w.ignores.push_back(std::move(p));
  return w;
}

void apply_waivers(const Waivers& w, const SymversFile& old_file, const SymversFile& new_file, AbiDiff& diff) {
  std::unordered_map<std::string_view, std::string_view> old_ns, new_ns;
  for (const SymversEntry& e : old_file.entries) old_ns.try_emplace(e.symbol, e.ns);
  for (const SymversEntry& e : new_file.entries) new_ns.try_emplace(e.symbol, e.ns);
  std::unordered_set<std::string_view> listed;
  for (const StablelistEntry& e : w.stablelist) listed.insert(e.symbol);
  std::string stable_files;
  for (const std::string& f : w.stablelist_files) stable_files += (stable_files.empty() ? "" : ", ") + f;

  std::vector<char> rule_used(w.rules.size(), 0), ignore_used(w.ignores.size(), 0);
  for (SymbolChange& c : diff.changes) {
    auto either = [](const Glob& g, std::string_view a, std::string_view b) {
      return (!a.empty() && g.match(a)) || (!b.empty() && b != a && g.match(b));
    };
    const SeverityRule* rule = nullptr;
    for (std::size_t i = 0; i < w.rules.size() && !rule; ++i) {
      const SeverityRule& r = w.rules[i];
      bool hit = false;
      switch (r.kind) {
        case SeverityRule::Kind::module: hit = either(r.glob, c.old_module, c.new_module); break;
        case SeverityRule::Kind::ns: {
          auto o = old_ns.find(c.symbol), n = new_ns.find(c.symbol);
          hit = either(r.glob, o == old_ns.end() ? "" : o->second, n == new_ns.end() ? "" : n->second);
          break;
        }
        case SeverityRule::Kind::symbol: hit = r.glob.match(c.symbol); break;
      }
      if (hit) rule = &r, rule_used[i] = 1;
    }
    const IgnorePattern* ignore = nullptr;
    for (std::size_t i = 0; i < w.ignores.size(); ++i) {
      const IgnorePattern& p = w.ignores[i];
      const bool hit = p.module ? either(p.glob, c.old_module, c.new_module) : p.glob.match(c.symbol);
      if (!hit) continue;
      ignore_used[i] = 1;
      if (!ignore) ignore = &p;
    }
    if (!c.breaks) continue;
    if (rule) {
      if (rule->pass) c.waived_by = rule->origin + ": " + rule->text;
    } else if (ignore) {
      c.waived_by = ignore->origin + ": ignore-changes " + ignore->text;
    } else if (!w.stablelist_files.empty() && !listed.count(c.symbol)) {
      c.waived_by = stable_files + ": not in the stablelist";
    }
  }

  for (const StablelistEntry& e : w.stablelist)
    if (!old_ns.count(e.symbol)) diff.stale_waivers.push_back(e.origin + ": stablelist " + e.symbol + " (not exported by the old kernel)");
  for (std::size_t i = 0; i < w.rules.size(); ++i)
    if (!rule_used[i]) diff.stale_waivers.push_back(w.rules[i].origin + ": " + w.rules[i].text);
  for (std::size_t i = 0; i < w.ignores.size(); ++i)
    if (!ignore_used[i]) diff.stale_waivers.push_back(w.ignores[i].origin + ": ignore-changes " + w.ignores[i].text);
}

}  // namespace modforge::abi
