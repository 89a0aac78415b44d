// loader-load-all: every module of a lib/modules/<release> tree loaded into one emulated
// kernel of that release, each after its dependencies (modules.dep, the way modprobe
// orders them: a module's dependency list is loaded from its end).  Prints each refusal
// with the kernel's errno and log, then "N/M loaded"; exit 1 on any refusal by the loader's
// checks (a module whose init returns an error constant is counted apart: the real kernel
// refuses it too).
//   loader-load-all [--kernel 6.1|6.12] --target TREE --modules DIR --dep MODULES_DEP
#include <algorithm>
#include <cstring>
#include <optional>
#include <functional>
#include <sstream>
#include <unordered_map>

#include "core/cli.h"
#include "core/error.h"
#include "core/fd_io.h"
#include "core/input.h"
#include "errno_name.h"
#include "loader/kernel/state_file.h"
#include "loader/tools/commands.h"

using namespace modforge;
using namespace modforge::loader::kernel;
using modforge::loader::tools::read_module_image;
using modforge::loader::harness::errno_name;

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  static const cli::OptionSpec specs[] = {{0, "kernel", true}, {0, "target", true}, {0, "modules", true}, {0, "dep", true}};
  cli::Parsed p = cli::parse(args, specs);
  std::optional<Kernel> kernel;
  std::string tree, mods, dep;
  for (const cli::OptionUse& u : p.uses) {
    if (u.long_name == "kernel") kernel = parse_kernel(u.value);
    if (u.long_name == "target") tree = u.value;
    if (u.long_name == "modules") mods = u.value;
    if (u.long_name == "dep") dep = u.value;
  }
  if (!p.error.empty() || tree.empty() || mods.empty() || dep.empty()) {
    write_all(2, "usage: loader-load-all [--kernel 6.1|6.12] --target TREE --modules DIR --dep MODULES_DEP\n");
    return 1;
  }
  std::string out;
  int failed = 0, total = 0, init_refused = 0;
  try {
    Target t = load_target(tree, kernel, mods);
    EmulatedKernel k(t, boot_state(0));
    Input depf = Input::from_path(dep);
    std::vector<std::string> order;
    std::unordered_map<std::string, std::vector<std::string>> deps;
    std::istringstream lines{std::string(depf.bytes())};
    std::string line;
    while (std::getline(lines, line)) {
      if (line.empty() || line[0] == '#') break;  // depmod -n: modules.dep comes first
      const std::size_t c = line.find(':');
      if (c == std::string::npos) throw Error(dep + ": not a modules.dep line: " + line);
      std::string m = line.substr(0, c);
      std::istringstream ds(line.substr(c + 1));
      std::vector<std::string> d;
      for (std::string x; ds >> x;) d.push_back(x);
      order.push_back(m);
      deps[m] = std::move(d);
    }
    std::unordered_map<std::string, int> done;  // 1 loaded, -1 refused
    std::function<bool(const std::string&)> load = [&](const std::string& m) -> bool {
      if (auto it = done.find(m); it != done.end()) return it->second > 0;
      done[m] = -1;
      for (auto it = deps[m].rbegin(); it != deps[m].rend(); ++it)
        if (!load(*it)) {
          out += m + ": dependency " + *it + " did not load\n";
          ++failed;
          return false;
        }
      const std::string image = read_module_image(mods + "/" + m);
      Outcome o = k.init_module(image, "", 0);
      if (o.err && o.init_failed) {
        // the checks passed; the module's init returns an error constant (see init_return.h)
        ++init_refused;
        out += m + ": its init returns " + errno_name(o.err) + "\n";
        return false;
      }
      if (o.err) {
        ++failed;
        out += m + ": " + errno_name(o.err);
        for (const LogLine& l : o.log) out += " | <" + std::to_string(l.level) + ">" + l.msg;
        out += "\n";
        return false;
      }
      // A shipped module loads without a WARN from code patching or a BTF mismatch, and
      // fully modelled.
      const bool warned = std::any_of(o.log.begin(), o.log.end(), [](const LogLine& l) {
        return l.msg.rfind("WARNING: ", 0) == 0 || l.msg.find("BTF mismatch") != std::string::npos;
      });
      if (warned || !o.unmodelled.empty()) {
        ++failed;
        out += m + ": loaded, but " + (warned ? std::string("the kernel warned") : "not modelled: " + o.unmodelled);
        for (const LogLine& l : o.log) out += " | <" + std::to_string(l.level) + ">" + l.msg;
        out += "\n";
      }
      done[m] = 1;
      return true;
    };
    for (const std::string& m : order) {
      ++total;
      load(m);
    }
    out += std::to_string(total - failed - init_refused) + "/" + std::to_string(total) + " loaded into " + t.release +
           ", " + std::to_string(failed) + " refused by the loader's checks, " + std::to_string(init_refused) +
           " by their own init\n";
  } catch (const Error& e) {
    write_all(1, out);
    write_all(2, std::string("loader-load-all: ") + e.what() + "\n");
    return 1;
  }
  write_all(1, out);
  return failed ? 1 : 0;
}
