#include "kbuild/steps.h"

#include <elf.h>
#include <fcntl.h>
#include <fstream>
#include <mutex>
#include <sstream>
#include <unistd.h>
#include <unordered_map>

#include "core/elf.h"
#include "core/error.h"
#include "core/fd_io.h"
#include "genksyms/genksyms.h"
#include "kbuild/cmd_file.h"
#include "core/spawn.h"
#include "loader/depmod/depmod.h"
#include "modpost/modpost.h"

namespace modforge::kbuild {

namespace {

std::string abs_in(const std::string& base, const std::string& p) {
  return p.empty() || p[0] == '/' || p == "-" ? p : base + "/" + p;
}

// kbuild's two ways of calling modpost: 6.12 "scripts/mod/modpost ARGS", 6.1
// "sed 's/ko$/o/' ORDER | scripts/mod/modpost ARGS -T -".  Anything else (the
// missing-input warnings, a wrapper) goes through the shell.
struct ModpostCall {
  std::string order;  // 6.1's sed input; empty for 6.12
  std::vector<std::string> args;
};

bool parse_modpost(const std::string& command, ModpostCall& call) {
  constexpr std::string_view tool = "scripts/mod/modpost";
  auto w = split_words(command);
  if (w.empty()) return false;
  size_t start;
  if (w[0] == tool) {
    start = 0;
  } else if (w.size() > 4 && w[0] == "sed" && w[1] == "'s/ko$/o/'" && w[3] == "|" && w[4] == tool) {
    call.order = w[2];
    start = 4;
  } else {
    return false;
  }
  for (size_t i = start; i < w.size(); ++i) {
    for (char c : w[i])
      if (c == '\'' || c == '"' || c == '|' || c == ';' || c == '>' || c == '<' || c == '$' || c == '`' || c == '&')
        return false;
    call.args.push_back(w[i]);
  }
  return true;
}

void print_err(std::string_view s) { write_all(2, s); }

}  // namespace

namespace {

// 6.1's `<srctree>/scripts/check-local-export <object>`.
bool is_check_local_export(const Target& t, const Step& s) {
  constexpr std::string_view tool = "/scripts/check-local-export";
  if (s.name != "check_local_export") return false;
  auto w = split_words(s.command);
  return w.size() == 2 && w[0].size() > tool.size() && w[0].compare(w[0].size() - tool.size(), tool.size(), tool) == 0 &&
         w[1] == t.path;
}

// What check-local-export's nm | awk pipeline decides: a symbol exported through a
// __ksymtab_<name> entry must not be local (nm's lowercase type letters of defined symbols:
// local binding, or GNU unique).  Its message, and false, for each one that is.
bool check_local_export(const std::string& path, const std::string& shown) {
  auto elf = elf::ElfFile::open(path);
  std::unordered_map<std::string_view, bool> lowercase;  // defined symbols, as nm lists them
  std::vector<std::string_view> exported;
  for (auto& sym : elf.symbols()) {
    if (sym.name.empty() || sym.type == STT_SECTION || sym.type == STT_FILE || sym.undefined()) continue;
    lowercase[sym.name] = sym.binding == STB_LOCAL || sym.binding == STB_GNU_UNIQUE;
    if (sym.name.rfind("__ksymtab_", 0) == 0) exported.push_back(sym.name.substr(10));
  }
  bool ok = true;
  for (auto name : exported)
    if (auto it = lowercase.find(name); it != lowercase.end() && it->second) {
      write_all(2, shown + ": error: local symbol " + std::string(name) + " was exported\n");
      ok = false;
    }
  return ok;
}

// kbuild's gen_objtooldep, `{ echo ; echo 'LINE' ; } >> FILE` (LINE without quotes):
// appends "\nLINE\n" to FILE, as the shell would.
bool parse_append_lines(const std::string& command, std::string& line, std::string& file) {
  constexpr std::string_view head = "{ echo ; echo '", mid = "' ; } >> ";
  std::string_view c = command;
  while (!c.empty() && c.front() == ' ') c.remove_prefix(1);
  while (!c.empty() && c.back() == ' ') c.remove_suffix(1);
  if (c.substr(0, head.size()) != head) return false;
  size_t m = c.find(mid, head.size());
  if (m == std::string_view::npos) return false;
  line = std::string(c.substr(head.size(), m - head.size()));
  file = std::string(c.substr(m + mid.size()));
  return line.find('\'') == std::string::npos && !file.empty() && file.find_first_of(" '\"$;&|<>`") == std::string::npos;
}

bool append_lines(const std::string& line, const std::string& path) {
  int fd = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0) {
    write_all(2, errno_message(path, errno) + "\n");
    return false;
  }
  write_all(fd, "\n" + line + "\n");
  close(fd);
  return true;
}

}  // namespace

bool step_in_process(Evaluator&, const Target& t, const Step& s) {
  ModpostCall call;
  std::string line, file;
  return (s.name == "modpost" && parse_modpost(s.command, call)) || is_check_local_export(t, s) ||
         (s.name == "gen_objtooldep" && parse_append_lines(s.command, line, file));
}

bool run_in_process(Evaluator& ev, const Target& t, const Step& s) {
  if (is_check_local_export(t, s)) return check_local_export(abs_in(ev.tree().objtree, t.path), t.path);
  if (std::string line, file; s.name == "gen_objtooldep" && parse_append_lines(s.command, line, file))
    return append_lines(line, abs_in(ev.tree().objtree, file));
  ModpostCall call;
  parse_modpost(s.command, call);
  const std::string& base = ev.tree().objtree;
  // modpost reads its relative paths (Module.symvers of the tree) from kbuild's directory,
  // the tree; the driver's own directory stays where the user is.
  std::vector<std::string> args;
  static const std::string with_path = "ioTdu";
  for (size_t i = 0; i < call.args.size(); ++i) {
    const std::string& a = call.args[i];
    args.push_back(i == 0 ? a : a);
    if (i > 0 && a.size() == 2 && a[0] == '-' && with_path.find(a[1]) != std::string::npos && i + 1 < call.args.size()) {
      args.push_back(abs_in(base, call.args[++i]));
    } else if (i > 0 && a[0] != '-') {
      args.back() = abs_in(base, a);
    }
  }
  std::string input;
  if (!call.order.empty()) {
    std::ifstream in(abs_in(base, call.order), std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
      if (line.size() >= 2 && line.compare(line.size() - 2, 2, "ko") == 0) line.replace(line.size() - 2, 2, "o");
      input += line + "\n";
    }
  }
  Streams io;
  int rc = modpost::run(args, ev.tree().kernel, input, io);
  print_err(io.err);
  write_all(1, io.out);
  return rc == 0;
}

namespace {

bool object_exports(const std::string& path, const Rules& rules) {
  auto elf = elf::ElfFile::open(path);
  for (auto& sym : elf.symbols()) {
    if (sym.name.empty() || sym.type == STT_SECTION || sym.type == STT_FILE) continue;
    if (rules.export_marker_at_name_start ? sym.name.rfind(rules.export_marker, 0) == 0
                                          : sym.name.find(rules.export_marker) != std::string_view::npos)
      return true;
  }
  return false;
}

}  // namespace

bool run_symver(Evaluator& ev, const Target& t, const Step& s, const Rules& rules, bool verbose) {
  const std::string& base = ev.tree().objtree;
  std::string obj = abs_in(base, t.path);
  if (verbose) write_all(1, "  " + s.command + " | " + s.genksyms + "\n");
  if (!object_exports(obj, rules)) return true;
  auto pre = run_shell(s.command, base, ev.run_env(), true);
  auto args = split_words(s.genksyms);
  if (args.empty()) throw Error(t.path + ": no genksyms command");
  for (size_t i = 1; i + 1 < args.size(); ++i)
    if (args[i] == "-T" || args[i] == "-r") args[i + 1] = abs_in(base, args[i + 1]), ++i;
  Streams io;
  int rc = genksyms::run(args, ev.tree().kernel, pre.out, io);
  print_err(io.err);
  if (rc != 0 || pre.status != 0) {
    unlink(obj.c_str());
    write_all(2, "modforge: *** [" + t.path + "] Error " + std::to_string(rc ? rc : pre.status) + "\n");
    return false;
  }
  std::string dot_cmd = abs_in(base, dot_cmd_path(t.path));
  int fd = open(dot_cmd.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) throw Error(errno_message(dot_cmd, errno));
  write_all(fd, io.out);
  close(fd);
  return true;
}

int run_depmod(Evaluator& ev, bool verbose) {
  std::string release = ev.env_value("KERNELRELEASE");
  std::string modlib = ev.env_value("MODLIB");
  std::string base = ev.env_value("INSTALL_MOD_PATH");
  std::vector<std::string> args = {"-a"};
  if (!base.empty()) args.insert(args.end(), {"-b", base});
  args.push_back(release);
  if (verbose) {
    std::string line = "  depmod";
    for (auto& a : args) line += " " + a;
    write_all(1, line + "\n");
  } else {
    write_all(1, "  DEPMOD  " + modlib + "\n");
  }
  std::ostringstream out, err;
  int rc = loader::depmod::depmod_main(args, out, err);
  write_all(2, err.str());
  write_all(1, out.str());
  return rc;
}

}  // namespace modforge::kbuild
