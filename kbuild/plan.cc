#include "kbuild/plan.h"

#include <unordered_map>

#include "core/error.h"

namespace modforge::kbuild {

namespace {

constexpr std::string_view kPrefix = "@MF@";

std::string unescape_newlines(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (s.compare(i, 4, "@NL@") == 0) {
      out += '\n';
      i += 4;
    } else {
      out += s[i++];
    }
  }
  return out;
}

struct Record {
  std::string_view kind, arg, target, payload;
};

bool split_record(std::string_view line, Record& r) {
  if (line.substr(0, kPrefix.size()) != kPrefix) return false;
  line.remove_prefix(kPrefix.size());
  std::string_view* fields[] = {&r.kind, &r.arg, &r.target};
  for (auto* f : fields) {
    size_t at = line.find('@');
    if (at == std::string_view::npos) return false;
    *f = line.substr(0, at);
    line.remove_prefix(at + 1);
  }
  r.payload = line;
  return true;
}

}  // namespace

std::vector<std::string> split_words(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != '\t' && s[j] != '\n') ++j;
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string record_lines(std::string_view text) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    if (line.substr(0, kPrefix.size()) == kPrefix) {
      out.append(line);
      out += '\n';
    }
    pos = nl + 1;
  }
  return out;
}

Plan parse_plan(std::string_view text) {
  Plan plan;
  std::unordered_map<std::string, size_t> index;
  auto target_of = [&](std::string_view path) -> Target& {
    auto [it, fresh] = index.try_emplace(std::string(path), plan.targets.size());
    if (fresh) plan.targets.push_back(Target{std::string(path), {}, {}, false});
    return plan.targets[it->second];
  };
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    Record r;
    if (split_record(text.substr(pos, nl - pos), r)) {
      std::string payload = unescape_newlines(r.payload);
      if (r.kind == "makefiles") {
        for (auto& w : split_words(payload)) plan.makefiles.push_back(std::move(w));
      } else if (r.kind == "prereqs") {
        Target& t = target_of(r.target);
        t.prereqs = split_words(payload);
        t.has_prereqs = true;
      } else if (r.kind == "order") {
        // a commands-only target's prerequisites: they order the build, they do not make
        // the target an if_changed one (it always runs, as make's FORCE rules do)
        Target& t = target_of(r.target);
        if (!t.has_prereqs && t.prereqs.empty()) t.prereqs = split_words(payload);
      } else if (r.kind == "quiet") {
        Target& t = target_of(r.target);
        if (!t.steps.empty()) t.steps.back().quiet = payload;
      } else if (r.kind == "depfile") {
        Target& t = target_of(r.target);
        if (!t.steps.empty()) t.steps.back().depfile = payload;
      } else if (r.kind == "genksyms") {
        Target& t = target_of(r.target);
        if (!t.steps.empty()) t.steps.back().genksyms = payload;
      } else if (r.kind == "fixdep" || r.kind == "savecmd" || r.kind == "cmd" || r.kind == "symver") {
        Step::Kind kind = r.kind == "fixdep"    ? Step::Kind::Fixdep
                          : r.kind == "savecmd" ? Step::Kind::Savecmd
                          : r.kind == "cmd"     ? Step::Kind::Cmd
                                                : Step::Kind::Symver;
        target_of(r.target).steps.push_back(Step{kind, std::string(r.arg), payload, {}, {}, {}});
      } else if (r.kind != "rule") {
        throw Error("kbuild: unknown record kind '" + std::string(r.kind) + "'");
      }
    }
    pos = nl + 1;
  }
  return plan;
}

}  // namespace modforge::kbuild
