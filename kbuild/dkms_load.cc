#include "kbuild/dkms_load.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "core/error.h"
#include "core/fd_io.h"
#include "loader/depmod/depmod.h"
#include "loader/kernel/kernel.h"
#include "loader/kernel/state_file.h"
#include "loader/kernel/target.h"
#include "loader/kmod/kofile.h"
#include "loader/kmod/names.h"
#include "loader/tools/commands.h"
#include "loader/tools/modprobe.h"

namespace modforge::kbuild {

namespace fs = std::filesystem;
namespace lk = loader::kernel;

namespace {

// modinfo's depends=: the modules whose exports a module uses (modpost wrote it).
std::vector<std::string> depends_of(const std::string& path) {
  std::vector<std::string> out;
  auto ko = loader::kmod::KoFile::open(path);
  auto d = ko.modinfo_value("depends");
  if (!d) return out;
  std::string_view s = *d;
  while (!s.empty()) {
    size_t c = s.find(',');
    std::string_view w = s.substr(0, c);
    if (!w.empty()) out.push_back(loader::kmod::modname_normalize(w));
    if (c == std::string_view::npos) break;
    s.remove_prefix(c + 1);
  }
  return out;
}

// The shipped file for a modules.order entry (kernel/x/y.ko): as listed, or compressed.
std::string shipped_file(const std::string& dir, const std::string& rel) {
  for (const char* suffix : {"", ".xz", ".zst", ".gz"}) {
    std::string p = dir + "/" + rel + suffix;
    if (access(p.c_str(), R_OK) == 0) return rel + suffix;
  }
  return {};
}

// modprobe's kernel: the emulated one; every insertion's outcome kept by module name.
class Probe : public loader::tools::ProbeKernel {
public:
  explicit Probe(lk::EmulatedKernel& k) : k_(k) {}
  bool loaded(const std::string& name) override {
    const lk::LoadedModule* m = k_.find(name);
    return m && m->state != lk::ModState::going;
  }
  int refcnt(const std::string& name) override {
    const lk::LoadedModule* m = k_.find(name);
    return m ? m->refcnt() : -1;
  }
  int insert(const std::string& path, const std::string& options, bool fmv, bool fvm) override {
    std::string image;
    try {
      image = loader::tools::read_module_image(path);
    } catch (const Error&) {
      return -ENOENT;
    }
    int flags = (fmv ? lk::kIgnoreModversions : 0) | (fvm ? lk::kIgnoreVermagic : 0);
    lk::Outcome o = k_.init_module(image, options, flags);
    std::string name = loader::kmod::path_to_modname(path);
    order.push_back(name);
    outcomes[name] = o;
    return -o.err;
  }
  int remove(const std::string& name, bool force) override {
    return -k_.delete_module(name, lk::kDeleteNonblock | (force ? lk::kDeleteForce : 0)).err;
  }
  std::vector<std::string> order;  // names, as inserted
  std::map<std::string, lk::Outcome> outcomes;

private:
  lk::EmulatedKernel& k_;
};

std::string why_not(const lk::Outcome& o) {
  // The emulator runs no code but reads an init that returns a constant (loader/kernel/init_return.h).
  if (o.init_failed)
    return "its init function returns -" + std::to_string(o.err) + " (" + strerror(o.err) +
           "); the kernel's checks all pass";
  std::string r = std::string(strerror(o.err)) + " (errno " + std::to_string(o.err) + ")";
  for (auto& l : o.log)
    if (l.level <= lk::kWarn) return r + ": " + l.msg;
  if (!o.log.empty()) return r + ": " + o.log.front().msg;
  return r;
}

}  // namespace

std::vector<LoadVerdict> check_loads(const LoadRequest& r) {
  lk::Target target = lk::load_target(r.tree, std::nullopt, r.modules_dir);
  std::string shipped = target.modules_dir;
  std::vector<LoadVerdict> out;

  // The module directory: <work>/lib/modules/<release>, the package's modules where Debian's
  // dkms installs them (updates/dkms), the kernel modules they need linked from the shipped
  // ones (their modules.order, modules.builtin, modules.builtin.modinfo copied).
  std::error_code ec;
  fs::remove_all(r.work, ec);
  std::string root = r.work + "/root", mdir = root + "/lib/modules/" + r.release;
  fs::create_directories(mdir + "/updates/dkms");
  fs::create_directories(r.work + "/modprobe.d");
  std::set<std::string> ours;
  for (auto& m : r.modules) {
    ours.insert(loader::kmod::modname_normalize(m.name));
    fs::copy_file(m.path, mdir + "/updates/dkms/" + m.name + ".ko", fs::copy_options::overwrite_existing);
  }
  std::map<std::string, std::string> order;  // name -> modules.order entry
  std::string missing_note;
  if (!shipped.empty()) {
    std::string text;
    if (read_whole_file(shipped + "/modules.order", text)) {
      std::istringstream in(text);
      for (std::string line; std::getline(in, line);)
        if (!line.empty()) order.emplace(loader::kmod::path_to_modname(line), line);
      fs::copy_file(shipped + "/modules.order", mdir + "/modules.order");
    }
    for (const char* f : {"modules.builtin", "modules.builtin.modinfo"})
      if (fs::exists(shipped + "/" + f)) fs::copy_file(shipped + "/" + f, mdir + "/" + f);
  }
  // The closure of depends= over the shipped modules.
  std::vector<std::string> todo;
  for (auto& m : r.modules)
    for (auto& d : depends_of(mdir + "/updates/dkms/" + m.name + ".ko")) todo.push_back(d);
  std::set<std::string> seen;
  while (!todo.empty()) {
    std::string n = todo.back();
    todo.pop_back();
    if (ours.count(n) || !seen.insert(n).second) continue;
    auto it = order.find(n);
    std::string file = it == order.end() ? "" : shipped_file(shipped, it->second);
    if (file.empty()) {
      missing_note += (missing_note.empty() ? "" : ", ") + n;
      continue;
    }
    fs::create_directories(fs::path(mdir + "/" + file).parent_path());
    fs::create_symlink(shipped + "/" + file, mdir + "/" + file);
    for (auto& d : depends_of(shipped + "/" + file)) todo.push_back(d);
  }

  std::ostringstream dout, derr;
  int drc = loader::depmod::depmod_main({"-b", root, r.release}, dout, derr);
  if (drc != 0) throw Error("depmod -b " + root + " " + r.release + " failed: " + derr.str());

  lk::EmulatedKernel k(target, lk::boot_state());
  Probe probe(k);
  for (auto& m : r.modules) {
    LoadVerdict v;
    v.name = m.name;
    std::string n = loader::kmod::modname_normalize(m.name);
    size_t before = probe.order.size();
    loader::tools::ModprobeOptions o;
    o.root = root;
    o.version = r.release;
    o.root_set = o.version_set = true;
    o.configs = {r.work + "/modprobe.d"};  // the host's modprobe.d (blacklists ...) left out
    o.args = {m.name};
    std::ostringstream mout, merr;
    loader::tools::modprobe_run(o, probe, mout, merr);
    for (size_t i = before; i < probe.order.size(); ++i)
      if (probe.order[i] != n) v.loaded_first.push_back(probe.order[i]);
    auto it = probe.outcomes.find(n);
    if (it != probe.outcomes.end() && it->second.err == 0) {
      v.loads = true;
    } else if (it != probe.outcomes.end()) {
      v.reason = why_not(it->second);
    } else {
      // Not inserted: a dependency failed, or modprobe stopped before.
      for (size_t i = before; i < probe.order.size(); ++i)
        if (auto& oc = probe.outcomes[probe.order[i]]; oc.err)
          v.reason = "its dependency " + probe.order[i] + " does not load: " + why_not(oc);
      std::string msg = merr.str();
      while (!msg.empty() && msg.back() == '\n') msg.pop_back();
      if (v.reason.empty()) v.reason = msg.empty() ? "modprobe did not insert it" : msg;
    }
    if (!v.loads && !missing_note.empty())
      v.reason += " (needs " + missing_note + ", not among the shipped modules" +
                  (shipped.empty() ? std::string(": none found, see --modules") : " of " + shipped) + ")";
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace modforge::kbuild
