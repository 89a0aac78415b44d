#include "kbuild/compdb.h"


#include <fstream>
#include <iterator>
#include <iostream>
#include <optional>
#include <set>
#include <span>
#include <sys/stat.h>

#include "core/atomic_file.h"
#include "core/json.h"
#include "core/error.h"

namespace modforge::kbuild {

namespace {

// GCC options in the Debian trees' compiles that clang (clangd-14 --check) rejects: an
// "unknown argument", "unsupported option ... for target" or an option clang 14 only takes
// with a second, clang-14-only switch.  Found by running clangd-14 --check on every source of
// samples/ and tests/corpus/modpost-modules/ (tests/kbuild_compdb.sh) and removing what it
// reported until it reported nothing.  Unknown -W/-Wno- options are only warnings to clang
// and stay.  `prefix`: every option starting with `flag` (its value varies by config).
struct GccOnlyFlag {
  std::string_view flag;
  bool prefix;
};

// Debian 6.1 and 6.12 need the same list; both go through per_kernel() all the same, so that
// another version's needs are stated where it is added.
constexpr GccOnlyFlag kGccOnly[] = {
    {"-mpreferred-stack-boundary=", true},  // clang: -mstack-alignment
    {"-mindirect-branch=", true},           // retpolines: clang's -mretpoline
    {"-mindirect-branch-register", false},
    {"-mindirect-branch-cs-prefix", false},
    {"-mfunction-return=", true},  // return thunks (clang 15 has it, 14 does not)
    {"-fno-allow-store-data-races", false},
    {"-fconserve-stack", false},
    {"-mrecord-mcount", false},  // "unsupported option for target x86_64"
    // clang 14 takes it only with -enable-trivial-auto-var-init-zero-knowing-it-will-be-
    // removed-from-clang, which later clangs reject: dropped (it changes no diagnostics).
    {"-ftrivial-auto-var-init=zero", false},
};

bool gcc_only(std::string_view word, Kernel k) {
  static constexpr std::span<const GccOnlyFlag> v6_1{kGccOnly}, v6_12{kGccOnly};
  for (auto& f : per_kernel(k, v6_1, v6_12))
    if (f.prefix ? word.substr(0, f.flag.size()) == f.flag : word == f.flag) return true;
  return false;
}

bool ends_with(std::string_view s, std::string_view suf) {
  return s.size() >= suf.size() && s.substr(s.size() - suf.size()) == suf;
}

bool exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

std::string abs_in(const std::string& base, const std::string& p) {
  return p.empty() || p[0] == '/' ? p : base + "/" + p;
}

// kbuild's compiles with $(CC): cmd_cc_o_c ("$(CC) $(c_flags) -c -o $@ $<", Makefile.build
// and Makefile.modfinal) and cmd_as_o_S ("$(CC) $(a_flags) -c -o $@ $<").
bool is_cc_compile(const Target& t, const Step& s) {
  return s.kind == Step::Kind::Fixdep && (s.name == "cc_o_c" || s.name == "as_o_S") && ends_with(t.path, ".o") &&
         !t.prereqs.empty();
}

// The modules the Build plan makes: the prerequisites of its modules.order (<mod>.o).
std::vector<std::string> modules_of(const Plan& build, std::string& order) {
  for (auto& t : build.targets)
    if (t.path == "modules.order" || ends_with(t.path, "/modules.order")) {
      order = t.path;
      return t.prereqs;
    }
  return {};
}

std::string mod_file(const std::string& module_o, std::string_view ext) {
  return module_o.substr(0, module_o.size() - 2) + std::string(ext);
}


}  // namespace

std::vector<ShellWord> shell_words(std::string_view cmd) {
  std::vector<ShellWord> out;
  size_t i = 0, n = cmd.size();
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n'; };
  for (;;) {
    while (i < n && blank(cmd[i])) ++i;
    if (i == n || cmd[i] == ';' || cmd[i] == '&' || cmd[i] == '|') break;
    size_t start = i;
    std::string value;
    while (i < n && !blank(cmd[i]) && cmd[i] != ';' && cmd[i] != '&' && cmd[i] != '|') {
      char c = cmd[i++];
      if (c == '\'') {
        size_t close = cmd.find('\'', i);
        if (close == std::string_view::npos) throw Error("unterminated ' in command: " + std::string(cmd));
        value.append(cmd.substr(i, close - i));
        i = close + 1;
      } else if (c == '"') {
        for (;;) {
          if (i == n) throw Error("unterminated \" in command: " + std::string(cmd));
          char d = cmd[i++];
          if (d == '"') break;
          if (d == '\\' && i < n && (cmd[i] == '"' || cmd[i] == '\\' || cmd[i] == '$' || cmd[i] == '`')) d = cmd[i++];
          else if (d == '\\' && i < n && cmd[i] == '\n') { ++i; continue; }
          value += d;
        }
      } else if (c == '\\' && i < n) {
        if (cmd[i] != '\n') value += cmd[i];
        ++i;
      } else {
        value += c;
      }
    }
    out.push_back({std::move(value), cmd.substr(start, i - start)});
  }
  return out;
}

std::string compile_part(std::string_view command) {
  auto words = shell_words(command);
  if (words.empty()) return {};
  const char* begin = words.front().raw.data();
  const char* end = words.back().raw.data() + words.back().raw.size();
  return std::string(begin, end);
}

std::string clang_command(std::string_view compile, Kernel k) {
  std::string out;
  for (auto& w : shell_words(compile)) {
    if (gcc_only(w.value, k)) continue;
    if (!out.empty()) out += ' ';
    out.append(w.raw);
  }
  return out;
}

std::vector<CompdbEntry> compdb_entries(const std::vector<const Plan*>& plans, const std::string& objtree) {
  std::vector<CompdbEntry> out;
  std::set<std::string> seen;
  for (const Plan* p : plans)
    for (auto& t : p->targets)
      for (auto& s : t.steps) {
        if (!is_cc_compile(t, s)) continue;
        std::string output = abs_in(objtree, t.path);
        if (!seen.insert(output).second) break;
        out.push_back({objtree, abs_in(objtree, t.prereqs[0]), output, compile_part(s.command)});
        break;
      }
  return out;
}


std::string compdb_json(const std::vector<CompdbEntry>& entries) {
  std::string out = "[";
  for (size_t i = 0; i < entries.size(); ++i) {
    auto& e = entries[i];
    out += i ? ",\n  " : "\n  ";
    out += "{\"command\": " + json_string(e.command) + ", \"directory\": " + json_string(e.directory) +
           ", \"file\": " + json_string(e.file) + ", \"output\": " + json_string(e.output) + "}";
  }
  out += "\n]\n";
  return out;
}

int write_compdb(Evaluator& ev, const CompdbOptions& opts, const std::function<int()>& build) {
  const std::string& objtree = ev.tree().objtree;
  Plan build_plan = ev.plan(Stage::Build);
  std::string order;
  std::vector<std::string> modules = modules_of(build_plan, order);

  // The Modfinal plan, when what it reads is there and it compiles every module's .mod.c.
  // Its inputs are checked first: make would stop on a missing .mod.c with its own errors.
  auto modfinal = [&]() -> std::optional<Plan> {
    if (order.empty() || !exists(abs_in(objtree, order))) return std::nullopt;
    for (auto& m : modules)
      if (!exists(abs_in(objtree, mod_file(m, ".mod.c")))) return std::nullopt;
    Plan p;
    try {
      p = ev.plan(Stage::Modfinal);
    } catch (const Error&) {
      return std::nullopt;
    }
    std::set<std::string> targets;
    for (auto& t : p.targets) targets.insert(abs_in(objtree, t.path));
    for (auto& m : modules)
      if (!targets.count(abs_in(objtree, mod_file(m, ".mod.o")))) return std::nullopt;
    return p;
  };

  int rc = 0;
  std::optional<Plan> final_plan = modfinal();
  if (!final_plan && build) {
    rc = build();
    final_plan = modfinal();
  }

  std::vector<const Plan*> plans{&build_plan};
  if (final_plan) plans.push_back(&*final_plan);
  auto entries = compdb_entries(plans, objtree);
  if (opts.clang)
    for (auto& e : entries) e.command = clang_command(e.command, ev.tree().kernel);
  write_file_if_changed(opts.output, compdb_json(entries));  // a no-op build touches nothing
  if (!final_plan && !modules.empty())
    std::cerr << "modforge: " << opts.output << ": written without the <module>.mod.c compiles"
              << (rc ? " (the build failed)" : " (the module has not been built)") << "\n";
  return rc;
}

}  // namespace modforge::kbuild
