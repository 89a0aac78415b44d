#include "abi/load_check.h"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "abi/image_stash.h"
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
  bool ordered = false;            // `order` is computed
  int level = -1;
  // What loading it gave.
  ModuleResult result;
  std::optional<k::LoadedModule> loaded;
  k::State after;  // the state's flags and taints after it loaded (modules not kept)
  std::vector<std::pair<std::string, k::Export>> symvers_exports;  // a target module without a file
  // How the check was scheduled (performance only: the results are those of checking the
  // graph level by level, each level after the one below).
  bool done = false;
  bool redo = false;         // checked early, but asked about a symbol outside `needs`: again at the end
  std::string packed;        // its image stashed (ImageStash) while it waits; empty: read the file again
  std::exception_ptr error;  // what its check threw
  // Checked while the given modules were still being read: each need's provider, by symbol.
  std::vector<std::pair<std::string, int>> providers;
};

// A given module's file as the first pass read it: decompressed once, for depmod's reader
// and for the check too when its dependencies are settled by then.
struct Read {
  loader::depmod::ModuleData data;  // depmod's view of it
  std::string image;        // decompressed (the file's bytes when not compressed)
  bool usable = false;      // `image` is what the check would read and decompress (else: it reads the file)
  bool compressed = false;  // the file is: worth stashing (a plain file is read again instead)
};

// Where a check takes the module's bytes from: a usable image in hand, else the file.
struct Source {
  std::string* image = nullptr;
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

  // The results are those of: read every given module (what it exports and imports), resolve
  // every node's dependencies, then check the nodes level by level.  To read (decompress) each
  // module once, the modules are read exporters first (those the target's own modules of the
  // same name export from), and a module whose imports all have a provider among the modules
  // read so far (the one of the lowest index), all of them checked, is checked right away; the
  // others wait with their image stashed until that holds, or until the last module is read.
  // A provider taken so may turn out not to be the final one (a module of a lower index read
  // later exports the symbol too): such a check, and those that saw its result, are done again
  // at the end, from the file.
  void run(unsigned jobs) {
    first_pass(jobs);
    for (const Node& n : nodes_)
      if (n.given >= 0 && read_errors_[n.given]) std::rethrow_exception(read_errors_[n.given]);
    verify_first_pass();
    resolve();
    for (Node& n : nodes_)
      if (n.redo) {
        n.error = nullptr;
        try {
          check(n, Source{}, true);
        } catch (...) {
          n.error = std::current_exception();
        }
      }
    check_rest(jobs);
  }

  std::vector<ModuleResult> given_results() {
    std::vector<ModuleResult> out;
    for (Node& n : nodes_)
      if (n.given >= 0) out.push_back(std::move(n.result));
    return out;
  }

private:
  // ---- the first pass: read every given module, check those whose dependencies are settled.

  enum class St : char { unread, reading, held, held_ready, parked, queued, running, finished };

  struct Pass {
    std::mutex mu;
    std::condition_variable cv;
    std::vector<int> order;     // the given modules in the order they are read
    std::size_t next = 0;       // the next of `order` to read
    int busy = 0;               // workers reading or checking
    std::vector<St> st;
    std::vector<char> resolved;
    std::vector<int> pending;                 // dependencies not checked yet
    std::vector<std::vector<int>> waiters;    // nodes waiting for this one's check
    std::unordered_map<std::string, int, k::XxHash> min_exporter;  // among the modules read
    std::unordered_map<std::string, std::vector<int>, k::XxHash> wait_symbol;  // nodes waiting for an exporter
    std::deque<int> ready;  // parked nodes whose dependencies are checked
  };

  void first_pass(unsigned jobs) {
    const std::size_t n = nodes_.size();
    read_errors_.resize(n);
    pass_ = std::make_unique<Pass>();
    Pass& p = *pass_;
    p.st.assign(n, St::unread);
    p.resolved.assign(n, 0);
    p.pending.assign(n, 0);
    p.waiters.resize(n);
    // Exporters first, so that most modules find their providers read (and checked) when
    // they are: the given modules named as one of the target's own that exports something.
    std::unordered_set<std::string_view, k::XxHash> exporters;
    for (const auto& [sym, owner] : ct_.symbol_owner) exporters.insert(owner);
    for (std::size_t i = 0; i < n; ++i)
      if (exporters.count(nodes_[i].name)) p.order.push_back(static_cast<int>(i));
    for (std::size_t i = 0; i < n; ++i)
      if (!exporters.count(nodes_[i].name)) p.order.push_back(static_cast<int>(i));
    const unsigned t = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(std::max<std::size_t>(n, 1))));
    std::vector<std::thread> threads;
    for (unsigned i = 1; i < t; ++i) threads.emplace_back([this] { pass_worker(); });
    pass_worker();
    for (auto& th : threads) th.join();
    // Each symbol's given module of the lowest index that exports it (a second file of one
    // name provides nothing), as resolve() wants.
    given_exports_ = std::move(p.min_exporter);
    pass_.reset();
  }

  void pass_worker() {
    Pass& p = *pass_;
    ImageStash stash;
    std::unique_lock lk(p.mu);
    for (;;) {
      if (!p.ready.empty()) {
        const int x = p.ready.front();
        p.ready.pop_front();
        p.st[x] = St::running;
        ++p.busy;
        std::string packed = std::move(nodes_[x].packed);
        lk.unlock();
        std::string image;
        Source src;
        if (unstash(stash, packed, image)) src.image = &image;
        early_check(x, src);
        lk.lock();
        finished(x);
        continue;
      }
      if (p.next < p.order.size()) {
        const int i = p.order[p.next++];
        p.st[i] = St::reading;
        ++p.busy;
        lk.unlock();
        Read r;
        try {
          r = read_given(i);
        } catch (...) {
          read_errors_[i] = std::current_exception();
        }
        lk.lock();
        publish(i, r.data);
        r.data = loader::depmod::ModuleData();
        // checked now, with the image in hand (the lock is dropped around the check)
        auto check_now = [&] {
          p.st[i] = St::running;
          lk.unlock();
          early_check(i, Source{r.usable ? &r.image : nullptr});
          lk.lock();
          finished(i);
        };
        if (p.resolved[i] && p.pending[i] == 0 && !read_errors_[i]) {
          check_now();
          continue;
        }
        p.st[i] = St::held;
        lk.unlock();
        std::string packed;
        if (r.usable && r.compressed) {
          try {
            packed = stash.pack(r.image);
          } catch (const Error&) {  // then its check decompresses the file again
          }
        }
        lk.lock();
        if (p.st[i] == St::held_ready) {  // its dependencies got checked meanwhile
          check_now();
          continue;
        }
        nodes_[i].packed = std::move(packed);
        p.st[i] = St::parked;
        if (--p.busy == 0) p.cv.notify_all();
        continue;
      }
      if (p.busy == 0) {
        p.cv.notify_all();
        return;
      }
      p.cv.wait(lk);
    }
  }

  // Reads given module `i`: depmod's view of it and, when possible, the image its check would
  // read.  Each file is read and decompressed once.
  Read read_given(int i) {
    Read r;
    const std::string& path = nodes_[i].path;
    std::string bytes;
    if (!read_whole_file(path, bytes)) {  // the old way: both readers say why
      loader::depmod::ReadBuffers b;
      r.data = loader::depmod::read_module(path, b);
      return r;
    }
    const Compression c = compression_of(bytes);
    if (c == Compression::none) {
      r.data = loader::depmod::read_module_image(bytes);
      r.image = std::move(bytes);
      r.usable = true;
    } else {
      try {
        r.image = decompress(bytes, path);  // (measured: no slower than a reused Decoder, ~10 MB less)
      } catch (const Error&) {  // corrupt: the old way, which says so in its own words
        loader::depmod::ReadBuffers b;
        r.data = loader::depmod::read_module(path, b);
        return r;
      }
      // kmod 30 reads a gzip file as it is (Debian builds it with xz and zstd only).
      r.data = loader::depmod::read_module_image(c == Compression::gzip ? std::string_view(bytes) : r.image);
      r.compressed = true;
      r.usable = true;
    }
    return r;
  }

  // Under the pass's lock: module `i` is read.
  void publish(int i, const loader::depmod::ModuleData& data) {
    Pass& p = *pass_;
    Node& n = nodes_[i];
    set_needs(n, data);
    if (by_name_.at(n.name) == i) {
      for (const auto& e : data.exports) {
        auto [it, inserted] = p.min_exporter.try_emplace(e.name, i);
        if (!inserted && i < it->second) it->second = i;
        if (auto w = p.wait_symbol.find(e.name); w != p.wait_symbol.end()) {
          std::vector<int> xs = std::move(w->second);
          p.wait_symbol.erase(w);
          for (int x : xs) evaluate(x);
        }
      }
    }
    evaluate(i);  // (not when it could not be read: never checked early)
  }

  // Under the pass's lock: whether every symbol node `x` needs has a provider among the
  // modules read (the one of the lowest index); if so its dependencies are taken to be those,
  // and it waits for their checks.
  void evaluate(int x) {
    Pass& p = *pass_;
    if (p.resolved[x] || read_errors_[x]) return;
    Node& n = nodes_[x];
    for (const std::string& sym : n.needs) {
      auto it = p.min_exporter.find(sym);
      if (it == p.min_exporter.end()) {
        p.wait_symbol[sym].push_back(x);
        return;
      }
    }
    // The dependencies resolve() will find, unless a module read later changes a provider
    // (verify_first_pass).
    std::vector<int> deps;
    n.providers.clear();
    for (const std::string& sym : n.needs) {
      const int d = p.min_exporter.at(sym);
      n.providers.emplace_back(sym, d);
      if (d != x && std::find(deps.begin(), deps.end(), d) == deps.end()) deps.push_back(d);
    }
    std::sort(n.providers.begin(), n.providers.end());
    n.deps = std::move(deps);
    p.resolved[x] = 1;
    int pending = 0;
    for (int d : n.deps) {
      const Node& dn = nodes_[d];
      if (dn.done && !dn.redo && !dn.error) continue;
      if (dn.done) pending += 1 << 20;  // its early check is not final: x waits for the end
      else p.waiters[d].push_back(x);
      ++pending;
    }
    p.pending[x] = pending;
    if (pending == 0) make_ready(x);
  }

  // Under the pass's lock.
  void make_ready(int x) {
    Pass& p = *pass_;
    switch (p.st[x]) {
      case St::held: p.st[x] = St::held_ready; break;
      case St::parked:
        p.st[x] = St::queued;
        p.ready.push_back(x);
        p.cv.notify_one();
        break;
      default: break;  // reading: the reader sees it
    }
  }

  // Under the pass's lock: node `x` is checked.
  void finished(int x) {
    Pass& p = *pass_;
    Node& n = nodes_[x];
    n.done = true;
    p.st[x] = St::finished;
    --p.busy;
    if (!n.redo && !n.error)
      for (int y : p.waiters[x])
        if (--p.pending[y] == 0) make_ready(y);
    p.waiters[x].clear();
    if (p.busy == 0) p.cv.notify_all();
  }

  // A stashed image back (false: none, or unreadable: the check opens the file again).
  static bool unstash(ImageStash& stash, std::string& packed, std::string& image) {
    if (packed.empty()) return false;
    try {
      image = stash.unpack(packed);
    } catch (const Error&) {
      return false;
    }
    packed = std::string();
    return true;
  }

  void early_check(int x, Source src) {
    Node& n = nodes_[x];
    try {
      n.order = order_of(x);
      n.ordered = true;
      check(n, src, false);
    } catch (...) {
      n.error = std::current_exception();
    }
  }

  // ---- after the first pass: the graph as before, and the nodes not checked yet.

  // The first pass's checks whose providers were not the final ones (given_exports_ now
  // holds those), and every check that saw one of them, are undone: checked again later.
  void verify_first_pass() {
    std::vector<char> wrong(nodes_.size(), 0);
    bool any = false;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      const Node& n = nodes_[i];
      if (!n.done) continue;
      for (const auto& [sym, d] : n.providers) {
        auto it = given_exports_.find(sym);
        if (it == given_exports_.end() || it->second != d) {
          wrong[i] = 1;
          any = true;
          break;
        }
      }
    }
    if (!any) return;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      Node& n = nodes_[i];
      if (!n.done) continue;
      bool undo = wrong[i];
      for (int d : n.order) undo = undo || wrong[d];
      if (!undo) continue;
      n.done = n.redo = n.ordered = false;
      n.order.clear();
      n.providers.clear();
      n.result = ModuleResult();
      n.loaded.reset();
      n.after = k::State();
      n.error = nullptr;
    }
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
      assert(!nodes_[i].ordered || nodes_[i].deps == deps);  // settled in the first pass as here
      nodes_[i].deps = std::move(deps);
    }
    for (std::size_t i = 0; i < nodes_.size(); ++i)
      if (!nodes_[i].ordered) {
        nodes_[i].order = order_of(static_cast<int>(i));
        nodes_[i].ordered = true;
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

  // Every dependency of node `i`, each after its own (depth first, in the order of `deps`).
  std::vector<int> order_of(int i) const {
    std::vector<int> out, seen{i};
    std::function<void(int)> visit = [&](int d) {
      if (std::find(seen.begin(), seen.end(), d) != seen.end()) return;
      seen.push_back(d);
      for (int x : nodes_[d].deps) visit(x);
      out.push_back(d);
    };
    for (int d : nodes_[i].deps) visit(d);
    return out;
  }

  // The nodes not checked in the first pass, level by level.
  void check_rest(unsigned jobs) {
    int top = 0;
    for (const Node& n : nodes_) top = std::max(top, n.level);
    for (int l = 0; l <= top; ++l) {
      std::vector<int> at;
      for (std::size_t i = 0; i < nodes_.size(); ++i)
        if (nodes_[i].level == l && !nodes_[i].done) at.push_back(static_cast<int>(i));
      std::atomic<std::size_t> next{0};
      auto work = [&] {
        std::optional<ImageStash> stash;
        for (std::size_t j; (j = next++) < at.size();) {
          Node& n = nodes_[at[j]];
          try {
            std::string image;
            Source src;
            if (!n.packed.empty()) {
              if (!stash) stash.emplace();
              if (unstash(*stash, n.packed, image)) src.image = &image;
              n.packed = std::string();
            }
            check(n, src, true);
          } catch (...) {
            n.error = std::current_exception();
          }
          n.done = true;
        }
      };
      const unsigned t = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(at.size())));
      std::vector<std::thread> threads;
      for (unsigned i = 1; i < t; ++i) threads.emplace_back(work);
      work();
      for (auto& th : threads) th.join();
      // As a level's first failure (by node) was thrown before the next level ran.
      for (const Node& n : nodes_)
        if (n.level == l && n.error) std::rethrow_exception(n.error);
    }
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

  // Whether node `n`'s check sees `dep` checked.  Level by level, everything below n's level
  // is, and nothing at or above it (a dependency there closes a cycle).  A node checked in the
  // first pass had all its dependencies checked before it, none in a cycle.
  static bool sees(const Node& n, const Node& dep, bool by_level) { return by_level ? dep.level < n.level : dep.done; }

  // What state_before takes from a dependency's state after its load (not the modules).
  static k::State flags_of(const k::State& a) {
    k::State s;
    s.tainted = a.tainted;
    s.sig_notice_done = a.sig_notice_done;
    s.livepatch_notice_done = a.livepatch_notice_done;
    s.lockdep_off = a.lockdep_off;
    s.warned_returns_decode = a.warned_returns_decode;
    s.warned_returns_thunk = a.warned_returns_thunk;
    s.warned_orc = a.warned_orc;
    s.warned_thunk_run = a.warned_thunk_run;
    s.ftrace_disabled = a.ftrace_disabled;
    s.warned_btf = a.warned_btf;
    return s;
  }

  // The kernel state modprobe leaves after loading `n`'s dependencies, in order.
  k::State state_before(const Node& n, std::vector<std::string>& after, std::vector<std::string>& files,
                        bool by_level) const {
    k::State s = k::boot_state();
    std::vector<const k::LoadedModule*> loaded;  // oldest first
    for (int d : n.order) {
      const Node& dep = nodes_[d];
      after.push_back(dep.name);
      files.push_back(dep.path);
      if (!sees(n, dep, by_level) || !dep.loaded) continue;
      loaded.push_back(&*dep.loaded);
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
    // Newest first, as each load puts itself at the front of the list.
    std::vector<k::LoadedModule> mods;
    mods.reserve(loaded.size() + s.modules.size());
    for (auto it = loaded.rbegin(); it != loaded.rend(); ++it) mods.push_back(**it);
    for (k::LoadedModule& m : s.modules) mods.push_back(std::move(m));
    s.modules = std::move(mods);
    return s;
  }

  // `by_level`: checked level by level after the first pass (else in it, with every
  // dependency checked and the providers settled in n.providers).
  void check(Node& n, Source src, bool by_level) {
    ModuleResult& r = n.result;
    r = ModuleResult();
    r.path = n.path;
    r.name = n.name;
    if (n.path.empty()) {  // named by Module.symvers only: what it exports is all we know
      k::LoadedModule m;
      m.name = n.name;
      for (const auto& [sym, e] : n.symvers_exports) m.exports.push_back({sym, e.crc, e.has_crc, e.gpl_only, e.ns});
      n.loaded = std::move(m);
      return;
    }
    k::State s = state_before(n, r.after, r.after_files, by_level);
    // The kernel gets the bytes as they are (kmod decompresses, nothing more): the emulated
    // kernel decides on them; the static reasons need a well-formed ELF beside it.
    std::string image;
    try {
      if (src.image) {  // the first pass's: what the lines below give
        image = std::move(*src.image);
      } else {
        std::string file;
        if (!read_whole_file(n.path, file)) throw Error(n.path + ": cannot read the module");
        image = decompress(file, n.path);
      }
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
    bool outside = false;  // first pass: a symbol outside n.needs was asked about
    ProviderLookup providers = [&](std::string_view sym) {
      ProviderInfo p;
      std::string name;
      int node = -1;
      if (!by_level) {
        auto it = std::lower_bound(n.providers.begin(), n.providers.end(), sym,
                                   [](const std::pair<std::string, int>& a, std::string_view b) { return a.first < b; });
        if (it == n.providers.end() || it->first != sym) {
          outside = true;
          return p;
        }
        node = it->second;
        name = nodes_[node].name;
      } else {
        if (auto it = given_exports_.find(std::string(sym)); it != given_exports_.end()) name = nodes_[it->second].name;
        else if (auto o2 = ct_.symbol_owner.find(std::string(sym)); o2 != ct_.symbol_owner.end()) name = o2->second;
        if (name.empty()) return p;
        auto b = by_name_.find(name);
        if (b != by_name_.end()) node = b->second;
      }
      p.module = name;
      if (node < 0) return p;
      const Node& dep = nodes_[node];
      if (dep.path.empty() && dep.symvers_exports.empty()) p.missing_file = true;
      else if (&dep != &n && sees(n, dep, by_level) && !dep.loaded && !dep.result.reasons.empty())
        p.refused_why = dep.result.reasons.front().message;
      return p;
    };
    if (ko) r.reasons = find_reasons(*ko, ct_.target, s, providers);
    if (outside) n.redo = true;
    merge_outcome(r.reasons, o, ct_.target);
    r.err = o.err;
    r.log = o.log;
    r.unmodelled = o.unmodelled;
    if (!o.name.empty()) r.name = o.name;
    n.loaded.reset();
    n.after = k::State();
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
    n.after = flags_of(kernel.state());
    r.verdict = !o.init_evaluated ? Verdict::init_not_evaluated
                : r.taints.empty() ? Verdict::loads
                                   : Verdict::loads_with_taints;
  }

  const CheckTarget& ct_;
  std::vector<Node> nodes_;
  std::unordered_map<std::string, int, k::XxHash> by_name_;
  std::unordered_map<std::string, int, k::XxHash> given_exports_;
  // The first pass.
  std::unique_ptr<Pass> pass_;
  std::vector<std::exception_ptr> read_errors_;
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
  g.run(jobs);
  tr.results = g.given_results();
  return tr;
}

}  // namespace modforge::abi
