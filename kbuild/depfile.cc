#include "kbuild/depfile.h"

#include <filesystem>
#include <sys/stat.h>
#include <unordered_set>

#include "core/fd_io.h"
#include "kbuild/cmd_file.h"
#include "kbuild/rules.h"

namespace modforge::kbuild {

namespace fs = std::filesystem;

namespace {

bool under(const std::string& path, const std::string& dir) {
  return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/';
}

class Collector {
public:
  Collector(Evaluator& ev, std::set<std::string>& inputs)
      : ev_(ev), inputs_(inputs), objtree_(ev.tree().objtree), module_dir_(ev.module_dir()),
        cache_(fs::path(ev.cache_root()).lexically_normal().string()) {}

  std::string abs(std::string_view p) const {
    fs::path f = !p.empty() && p[0] == '/' ? fs::path(p) : fs::path(objtree_) / p;
    return f.lexically_normal().string();
  }

  void add_output(std::string_view p) { outputs_.insert(abs(p)); }

  void add(std::string_view p) {
    std::string a = abs(p);
    if (outputs_.count(a) || !seen_.insert(a).second) return;
    if (under(a, cache_)) return;  // the driver's own cache (kbuild-eval.mk, records)
    struct stat st;
    if (stat(a.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return;  // gone, or a directory
    if (under(a, module_dir_)) {
      struct stat lst;
      if (lstat(a.c_str(), &lst) != 0) return;
      if (!S_ISLNK(lst.st_mode)) {
        // In the module's directory only sources are inputs: what is not a mirror link and
        // not a source kbuild names is an output (.o of an earlier stage, .mod ...).
        if (!source_like(a)) return;
      } else {
        std::error_code ec;
        fs::path real = fs::canonical(a, ec);
        if (!ec) a = real.string();
      }
    }
    inputs_.insert(a);
  }

  void scan_cmd(const Target& t, std::string_view prefix) {
    std::string text;
    if (!read_whole_file(abs(dot_cmd_path(t.path)), text)) return;
    std::string_view saved;
    scan_cmd_file(
        text, t.path, prefix, saved, [&](std::string_view d) { add(d); }, [&](std::string_view w) { add(w); });
  }

private:
  static bool source_like(const std::string& a) {
    for (auto suf : {".o", ".ko", ".mod", ".mod.c", ".cmd", ".symvers", ".order", ".json", ".d", ".a"})
      if (a.ends_with(suf)) return false;
    return true;
  }

  Evaluator& ev_;
  std::set<std::string>& inputs_;
  std::string objtree_, module_dir_, cache_;
  std::unordered_set<std::string> outputs_, seen_;
};

}  // namespace

void collect_inputs(Evaluator& ev, std::set<std::string>& inputs) {
  Collector c(ev, inputs);
  std::vector<Plan> plans;
  for (Stage s : {Stage::Build, Stage::Modpost, Stage::Modfinal}) plans.push_back(ev.plan(s));
  for (auto& p : plans)
    for (auto& t : p.targets) c.add_output(t.path);
  for (auto& f : split_words(ev.env_value("MODFORGE_TOP_MAKEFILES"))) c.add(f);
  for (auto& p : plans)
    for (auto& f : p.makefiles)
      if (!f.ends_with(".cmd")) c.add(f);  // kbuild's records of the outputs, read back
  std::string_view prefix = rules_for(ev.tree().kernel).saved_prefix;
  for (auto& p : plans)
    for (auto& t : p.targets) {
      for (auto& d : t.prereqs) c.add(d);
      c.scan_cmd(t, prefix);
    }
}

std::string depfile_escape(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (char ch : path) {
    if (ch == ' ' || ch == '\t' || ch == '#') out += '\\';
    else if (ch == '$') out += '$';
    out += ch;
  }
  return out;
}

std::string depfile_text(const std::vector<std::string>& targets, const std::set<std::string>& inputs) {
  std::string out;
  for (size_t i = 0; i < targets.size(); ++i) {
    if (i) out += ' ';
    out += depfile_escape(targets[i]);
  }
  out += ':';
  for (auto& in : inputs) {
    out += " \\\n  ";
    out += depfile_escape(in);
  }
  out += '\n';
  return out;
}

}  // namespace modforge::kbuild
