#include "abi/load_check.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <functional>
#include <thread>

#include "abi/reasons.h"
#include "core/decompress.h"
#include "core/error.h"
#include "core/fd_io.h"
#include "loader/depmod/modread.h"
#include "loader/kernel/kernel.h"
#include "loader/kernel/state_file.h"
#include "loader/kmod/kofile.h"

namespace modforge::abi {

namespace k = loader::kernel;

namespace {

// One module of the dependency graph: given, or one of the target's own.
struct Node {
  std::string name, path;
  int given = -1;                  // index into the modules given, -1 for the target's
  std::vector<std::string> needs;  // symbols it imports that vmlinux does not export
  std::vector<int> deps;           // direct dependencies, in the order the symbols first need them
  std::vector<int> order;          // every dependency, each before those needing it (modprobe's order)
  int level = -1;
  // What loading it gave.
  ModuleResult result;
  std::optional<k::LoadedModule> loaded;
  k::State after;  // the state's flags and taints after it loaded (modules not kept)
  std::vector<std::pair<std::string, k::Export>> symvers_exports;  // a target module without a file
};

class Graph {
public:
  Graph(const CheckTarget& ct, const std::vector<ModuleInput>& given) : ct_(ct) {
    nodes_.reserve(given.size());
    for (std::size_t i = 0; i < given.size(); ++i) {
      Node n;
      n.name = given[i].name;
      n.path = given[i].path;
      n.given = static_cast<int>(i);
      by_name_.try_emplace(n.name, static_cast<int>(nodes_.size()));
      nodes_.push_back(std::move(n));
    }
  }

  // Reads what each given module exports and imports (depmod's reader, on `jobs` threads).
  void read_given(unsigned jobs) {
    const std::size_t n = nodes_.size();
    std::vector<loader::depmod::ModuleData> data(n);
    parallel(n, jobs, [&](std::size_t i, loader::depmod::ReadBuffers& b) { data[i] = loader::depmod::read_module(nodes_[i].path, b); });
    for (std::size_t i = 0; i < n; ++i) {
      if (by_name_.at(nodes_[i].name) != static_cast<int>(i)) continue;  // a second file of one name provides nothing
      for (const auto& e : data[i].exports) given_exports_.try_emplace(e.name, static_cast<int>(i));
    }
    for (std::size_t i = 0; i < n; ++i) set_needs(nodes_[i], data[i]);
  }

  // Direct dependencies of every node (adding the target's modules they need), then
  // levels: a node is checked after everything it needs.
  void resolve() {
    for (std::size_t i = 0; i < nodes_.size(); ++i) {  // nodes_ grows as target modules join
      std::vector<int> deps;
      const std::vector<std::string> needs = nodes_[i].needs;  // provider() may grow nodes_
      for (const std::string& sym : needs) {
        int p = provider(sym);
        if (p >= 0 && p != static_cast<int>(i) && std::find(deps.begin(), deps.end(), p) == deps.end()) deps.push_back(p);
      }
      nodes_[i].deps = std::move(deps);
    }
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      std::vector<char> seen(nodes_.size(), 0);
      seen[i] = 1;
      std::function<void(int)> visit = [&](int d) {
        if (seen[d]) return;
        seen[d] = 1;
        for (int x : nodes_[d].deps) visit(x);
        nodes_[i].order.push_back(d);
      };
      for (int d : nodes_[i].deps) visit(d);
    }
    // Levels by longest path; a cycle (modules needing each other) is cut where met.
    std::vector<char> on_stack(nodes_.size(), 0);
    std::function<int(int)> level = [&](int i) -> int {
      if (nodes_[i].level >= 0) return nodes_[i].level;
      if (on_stack[i]) return 0;
      on_stack[i] = 1;
      int l = 0;
      for (int d : nodes_[i].deps) l = std::max(l, level(d) + 1);
      on_stack[i] = 0;
      return nodes_[i].level = l;
    };
    for (std::size_t i = 0; i < nodes_.size(); ++i) level(static_cast<int>(i));
  }

  void check_all(unsigned jobs) {
    int top = 0;
    for (const Node& n : nodes_) top = std::max(top, n.level);
    for (int l = 0; l <= top; ++l) {
      std::vector<int> at;
      for (std::size_t i = 0; i < nodes_.size(); ++i)
        if (nodes_[i].level == l) at.push_back(static_cast<int>(i));
      parallel(at.size(), jobs, [&](std::size_t j, loader::depmod::ReadBuffers&) { check(nodes_[at[j]]); });
    }
  }

  std::vector<ModuleResult> given_results() {
    std::vector<ModuleResult> out;
    for (Node& n : nodes_)
      if (n.given >= 0) out.push_back(std::move(n.result));
    return out;
  }

private:
  template <class F>
  static void parallel(std::size_t n, unsigned jobs, F&& f) {
    std::atomic<std::size_t> next{0};
    std::vector<std::exception_ptr> errors(n);
    auto work = [&] {
      loader::depmod::ReadBuffers b;
      for (std::size_t i; (i = next++) < n;) {
        try {
          f(i, b);
        } catch (...) {
          errors[i] = std::current_exception();
        }
      }
    };
    const unsigned t = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(n)));
    std::vector<std::thread> threads;
    for (unsigned i = 1; i < t; ++i) threads.emplace_back(work);
    work();
    for (auto& th : threads) th.join();
    for (auto& e : errors)
      if (e) std::rethrow_exception(e);
  }

  void set_needs(Node& n, const loader::depmod::ModuleData& d) {
    for (const auto& s : d.needed)
      if (!ct_.target.exports.count(s.name)) n.needs.push_back(s.name);
  }

  // The module exporting `sym`: a given one first (installed beside the target's, as
  // updates/ is searched first), then the target's own (added to the graph when first needed).
  int provider(const std::string& sym) {
    if (auto it = given_exports_.find(sym); it != given_exports_.end()) return it->second;
    auto o = ct_.symbol_owner.find(sym);
    if (o == ct_.symbol_owner.end()) return -1;
    if (auto it = by_name_.find(o->second); it != by_name_.end()) return it->second;
    Node n;
    n.name = o->second;
    auto f = ct_.modules.find(n.name);
    if (f != ct_.modules.end()) {
      n.path = f->second.path;
      loader::depmod::ReadBuffers b;
      set_needs(n, loader::depmod::read_module(n.path, b));
    } else if (auto sv = ct_.symvers_modules.find(n.name); sv != ct_.symvers_modules.end()) {
      n.symvers_exports = sv->second;
    }
    const int id = static_cast<int>(nodes_.size());
    by_name_.emplace(n.name, id);
    nodes_.push_back(std::move(n));
    return id;
  }

  // The kernel state modprobe leaves after loading `n`'s dependencies, in order.
  k::State state_before(const Node& n, std::vector<std::string>& after, std::vector<std::string>& files) const {
    k::State s = k::boot_state();
    for (int d : n.order) {
      const Node& dep = nodes_[d];
      after.push_back(dep.name);
      files.push_back(dep.path);
      if (!dep.loaded) continue;
      s.modules.insert(s.modules.begin(), *dep.loaded);
      const k::State& a = dep.after;
      s.tainted |= a.tainted;
      s.sig_notice_done |= a.sig_notice_done;
      s.livepatch_notice_done |= a.livepatch_notice_done;
      s.lockdep_off |= a.lockdep_off;
      s.warned_returns_decode |= a.warned_returns_decode;
      s.warned_returns_thunk |= a.warned_returns_thunk;
      s.warned_orc |= a.warned_orc;
      s.warned_thunk_run |= a.warned_thunk_run;
      s.ftrace_disabled |= a.ftrace_disabled;
      s.warned_btf |= a.warned_btf;
    }
    return s;
  }

  void check(Node& n) {
    ModuleResult& r = n.result;
    r.path = n.path;
    r.name = n.name;
    if (n.path.empty()) {  // named by Module.symvers only: what it exports is all we know
      k::LoadedModule m;
      m.name = n.name;
      for (const auto& [sym, e] : n.symvers_exports) m.exports.push_back({sym, e.crc, e.has_crc, e.gpl_only, e.ns});
      n.loaded = std::move(m);
      return;
    }
    k::State s = state_before(n, r.after, r.after_files);
    // The kernel gets the bytes as they are (kmod decompresses, nothing more): the emulated
    // kernel decides on them; the static reasons need a well-formed ELF beside it.
    std::string image;
    try {
      std::string file;
      if (!read_whole_file(n.path, file)) throw Error(n.path + ": cannot read the module");
      image = decompress(file, n.path);
    } catch (const Error& e) {
      r.verdict = Verdict::refused;
      r.err = ENOEXEC;
      r.reasons.push_back({.kind = "elf", .message = e.what(), .first = true});
      return;
    }
    k::EmulatedKernel kernel(ct_.target, s);
    k::Outcome o = kernel.init_module(image, "");
    std::optional<loader::kmod::KoFile> ko;
    try {
      ko.emplace(loader::kmod::KoFile::from_bytes(std::move(image), n.path));
    } catch (const Error&) {
      // Malformed past what the kernel checks: its answer stands alone.
    }
    ProviderLookup providers = [&](std::string_view sym) {
      ProviderInfo p;
      std::string name;
      if (auto it = given_exports_.find(std::string(sym)); it != given_exports_.end()) name = nodes_[it->second].name;
      else if (auto o2 = ct_.symbol_owner.find(std::string(sym)); o2 != ct_.symbol_owner.end()) name = o2->second;
      if (name.empty()) return p;
      p.module = name;
      auto b = by_name_.find(name);
      if (b == by_name_.end()) return p;
      const Node& dep = nodes_[b->second];
      if (dep.path.empty() && dep.symvers_exports.empty()) p.missing_file = true;
      else if (!dep.loaded && !dep.result.reasons.empty()) p.refused_why = dep.result.reasons.front().message;
      return p;
    };
    if (ko) r.reasons = find_reasons(*ko, ct_.target, s, providers);
    merge_outcome(r.reasons, o, ct_.target);
    r.err = o.err;
    r.log = o.log;
    r.unmodelled = o.unmodelled;
    if (!o.name.empty()) r.name = o.name;
    if (o.err) {
      r.verdict = Verdict::refused;
      if (o.init_failed) r.taints = k::taint_letters(o.init_taints);  // the kernel had tainted it by then
      return;
    }
    const k::LoadedModule* m = kernel.find(r.name);
    if (m) {
      n.loaded = *m;
      r.taints = k::taint_letters(m->taints);
    }
    n.after = kernel.state();
    n.after.modules.clear();
    r.verdict = !o.init_evaluated ? Verdict::init_not_evaluated
                : r.taints.empty() ? Verdict::loads
                                   : Verdict::loads_with_taints;
  }

  const CheckTarget& ct_;
  std::vector<Node> nodes_;
  std::unordered_map<std::string, int, k::XxHash> by_name_;
  std::unordered_map<std::string, int, k::XxHash> given_exports_;
};

}  // namespace

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::loads: return "loads";
    case Verdict::loads_with_taints: return "loads-with-taints";
    case Verdict::refused: return "refused";
    case Verdict::init_not_evaluated: return "init-not-evaluated";
  }
  return "";
}

int TargetResult::count(Verdict v) const {
  return static_cast<int>(std::count_if(results.begin(), results.end(), [&](const ModuleResult& r) { return r.verdict == v; }));
}

TargetResult check_load(const CheckTarget& ct, const std::vector<ModuleInput>& modules, unsigned jobs) {
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  TargetResult tr;
  tr.given = ct.given;
  tr.release = ct.target.release;
  tr.kernel = std::string(ct.target.rules().name);
  tr.vermagic = ct.target.vermagic;
  tr.enforce = ct.target.sig_force;
  Graph g(ct, modules);
  g.read_given(jobs);
  g.resolve();
  g.check_all(jobs);
  tr.results = g.given_results();
  return tr;
}

}  // namespace modforge::abi
