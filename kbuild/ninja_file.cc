#include "kbuild/ninja_file.h"

#include <unordered_set>

namespace modforge::kbuild {

namespace {

constexpr const char* kAlways = "modforge_always_run";

// A path in a build line: ninja's $-escapes for '$', ' ' and ':'.
std::string ninja_path(const std::string& p) {
  std::string out;
  for (char c : p) {
    if (c == '$' || c == ' ' || c == ':') out += '$';
    out += c;
  }
  return out;
}

// A value in a variable (a command): only '$' is special.
std::string ninja_value(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '$') out += '$';
    out += c;
  }
  return out;
}

std::string words_value(const std::vector<std::string>& ws) {
  std::string out;
  for (auto& w : ws) {
    if (!out.empty()) out += ' ';
    out += ninja_value(shell_word(w));
  }
  return out;
}

bool compiles(const Target& t) {
  for (auto& s : t.steps)
    if (s.kind == Step::Kind::Fixdep) return true;
  return false;
}

bool ends_with(const std::string& s, std::string_view suf) {
  return s.size() >= suf.size() && std::string_view(s).substr(s.size() - suf.size()) == suf;
}

}  // namespace

std::string shell_word(const std::string& w) {
  bool plain = !w.empty();
  for (char c : w)
    if (!(isalnum(static_cast<unsigned char>(c)) || std::string_view("_./+=,:@%^-").find(c) != std::string_view::npos))
      plain = false;
  if (plain) return w;
  std::string out = "'";
  for (char c : w) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

std::string ninja_file(const NinjaSpec& spec, const Plan& build) {
  auto abs = [&](const std::string& p) { return p.empty() || p[0] == '/' ? p : spec.objtree + "/" + p; };
  std::string o;
  o += "# Written by `modforge ninja` for " + spec.module_dir + " (tree " + spec.objtree +
       "); it rewrites itself when the module's plan changes.\n"
       "# Each edge runs `modforge step`, the driver's own run of one target, whose up-to-date check reads\n"
       "# kbuild's .cmd files: every edge therefore runs, and does nothing when its target is current.\n"
       "ninja_required_version = 1.7\n\n";
  o += "modforge = " + ninja_value(shell_word(spec.modforge)) + "\n";
  o += "ctx = " + words_value(spec.context) + "\n\n";
  o += "pool local\n  depth = " + std::to_string(spec.jobs) + "\n\n";
  o += "rule step\n  command = $modforge step $ctx --target $target\n  description = $target\n\n";
  o += "rule stage\n  command = $modforge step $ctx -j " + std::to_string(spec.jobs) +
       " --stage $stage\n  description = $stage\n  pool = console\n\n";
  o += "rule regen\n  command = $modforge ninja " + words_value(spec.regen) +
       "\n  description = modforge ninja\n  generator = 1\n  restat = 1\n\n";
  o += std::string("build ") + kAlways + ": phony\n\n";
  // Ninja finds the edge that rebuilds its manifest by the name it loaded, relative to where
  // it runs: the file's own name in its directory (`ninja -C DIR`, or ninja run there).
  std::string manifest = spec.output.substr(spec.output.rfind('/') + 1);
  o += "build " + ninja_path(manifest) + ": regen " + kAlways + "\n\n";

  std::unordered_set<std::string> targets;
  for (auto& t : build.targets) targets.insert(t.path);
  std::vector<std::string> outs, kos;
  for (auto& t : build.targets) {
    std::string out = ninja_path(abs(t.path));
    outs.push_back(out);
    o += "build " + out + ": step " + kAlways;
    std::string implicit;
    for (auto& p : t.prereqs)
      if (p != t.path && targets.count(p)) implicit.append(" ").append(ninja_path(abs(p)));
    if (!implicit.empty()) o += " |" + implicit;
    o += "\n  target = " + ninja_value(shell_word(t.path)) + "\n";
    if (!(spec.launcher && compiles(t))) o += "  pool = local\n";
    if (ends_with(t.path, ".mod")) kos.push_back(ninja_path(abs(t.path.substr(0, t.path.size() - 4) + ".ko")));
  }
  std::string symvers = ninja_path(spec.module_dir + "/Module.symvers");
  o += "\nbuild " + symvers + ": stage " + kAlways;
  if (!outs.empty()) {
    o += " |";
    for (auto& x : outs) o += " " + x;
  }
  o += "\n  stage = modpost\n\n";
  if (kos.empty()) kos.push_back(ninja_path(spec.module_dir + "/.modforge-modfinal"));  // never written
  o += "build";
  for (auto& k : kos) o += " " + k;
  o += ": stage " + std::string(kAlways) + " | " + symvers + "\n  stage = modfinal\n\ndefault";
  for (auto& k : kos) o += " " + k;
  o += "\n";
  return o;
}

}  // namespace modforge::kbuild
