#include "replay.h"

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <sstream>

#include "core/cli.h"
#include "core/error.h"
#include "core/input.h"
#include "errno_name.h"
#include "loader/kernel/state_file.h"
#include "loader/tools/commands.h"

namespace modforge::loader::harness {

using namespace kernel;
using tools::CommandResult;
using tools::insmod_module;
using tools::read_module_image;
using tools::rmmod_module;

namespace fs = std::filesystem;

namespace {

std::string json_str(std::string_view s) {
  std::string o = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"') o += "\\\"";
    else if (c == '\\') o += "\\\\";
    else if (c == '\n') o += "\\n";
    else if (c == '\t') o += "\\t";
    else if (u < 0x20 || u == 0x7f) {
      char b[8];
      std::snprintf(b, sizeof b, "\\u%04x", u);
      o += b;
    } else o += c;
  }
  return o + "\"";
}

std::vector<std::string> split_ws(std::string_view line) {
  std::vector<std::string> w;
  std::istringstream in{std::string(line)};
  std::string t;
  while (in >> t) w.push_back(t);
  return w;
}

// hello.ko, foo-bar.ko.xz -> hello, foo_bar
std::string module_name_of(const std::string& file) {
  std::string b = fs::path(file).filename().string();
  for (const char* ext : {".xz", ".zst", ".gz"})
    if (b.size() > std::strlen(ext) && b.compare(b.size() - std::strlen(ext), std::string::npos, ext) == 0)
      b.resize(b.size() - std::strlen(ext));
  if (b.size() > 3 && b.compare(b.size() - 3, 3, ".ko") == 0) b.resize(b.size() - 3);
  for (char& c : b)
    if (c == '-') c = '_';
  return b;
}

// The name the oracle gives a step (oracle_host.py's module_name(): struct module's name,
// else .modinfo's name=, else the file name), so that both look up the same
// /proc/modules line.
std::string oracle_name(std::string_view d, const std::string& file) {
  auto fits = [&](uint64_t off, uint64_t n) { return off <= d.size() && d.size() - off >= n; };
  auto u64 = [&](uint64_t off, int n) -> std::optional<uint64_t> {
    if (!fits(off, static_cast<uint64_t>(n))) return std::nullopt;
    uint64_t v = 0;
    std::memcpy(&v, d.data() + off, static_cast<std::size_t>(n));
    return v;
  };
  auto attempt = [&]() -> std::optional<std::string> {
    if (d.size() < 5 || d.substr(0, 4) != "\177ELF" || d[4] != 2) return std::nullopt;
    auto shoff = u64(0x28, 8), shentsize = u64(0x3a, 2), shnum = u64(0x3c, 2), shstrndx = u64(0x3e, 2);
    if (!shoff || !shentsize || !shnum || !shstrndx) return std::nullopt;
    struct S { uint64_t name, off, size; };
    std::vector<S> secs;
    for (uint64_t i = 0; i < *shnum; ++i) {
      const uint64_t o = *shoff + i * *shentsize;
      auto nm = u64(o, 4), off = u64(o + 24, 8), size = u64(o + 32, 8);
      if (!nm || !off || !size || !fits(o, 64)) return std::nullopt;
      secs.push_back({*nm, *off, *size});
    }
    if (*shstrndx >= secs.size()) return std::nullopt;
    const S str = secs[*shstrndx];
    std::vector<std::string_view> names;
    for (const S& s : secs) {
      const uint64_t o = str.off + s.name;
      if (o > d.size()) return std::nullopt;
      const std::size_t e = d.find('\0', o);
      if (e == std::string_view::npos) return std::nullopt;
      names.push_back(d.substr(o, e - o));
    }
    auto slice = [&](uint64_t a, uint64_t b) {
      a = std::min<uint64_t>(a, d.size());
      b = std::min<uint64_t>(std::max(a, b), d.size());
      return d.substr(a, b - a);
    };
    for (std::size_t i = 0; i < secs.size(); ++i)
      if (names[i] == ".gnu.linkonce.this_module" && secs[i].size > 80) {
        std::string_view raw = slice(secs[i].off + 24, secs[i].off + 80);
        raw = raw.substr(0, raw.find('\0'));
        if (!raw.empty()) return std::string(raw);
      }
    for (std::size_t i = 0; i < secs.size(); ++i)
      if (names[i] == ".modinfo") {
        std::string_view all = slice(secs[i].off, secs[i].off + secs[i].size);
        while (true) {
          const std::size_t e = all.find('\0');
          std::string_view kv = all.substr(0, e);
          if (kv.substr(0, 5) == "name=") return std::string(kv.substr(5));
          if (e == std::string_view::npos) break;
          all.remove_prefix(e + 1);
        }
      }
    return std::nullopt;
  };
  if (auto n = attempt()) return *n;
  return module_name_of(file);
}

uint64_t boot_tainted_of(const fs::path& oracle) {
  std::error_code ec;
  if (!fs::is_regular_file(oracle, ec)) return 0;
  Input in = Input::from_path(oracle.string());
  std::string_view t = in.bytes();
  std::size_t p = t.rfind("\"boot_tainted\":");
  if (p == std::string_view::npos) return 0;
  p += 15;
  while (p < t.size() && t[p] == ' ') ++p;
  return std::strtoull(std::string(t.substr(p, 24)).c_str(), nullptr, 10);
}

std::string proc_json(const EmulatedKernel& k, const std::string& name) {
  const LoadedModule* m = k.find(name);
  if (!m) return "null";
  std::string users = "[";
  bool first = true;
  auto add = [&](const std::string& u) { users += (first ? "" : ", ") + json_str(u); first = false; };
  for (const std::string& h : m->holders) add(h);
  if (m->has_init && !m->has_exit) add("[permanent]");
  users += "]";
  const uint64_t size = m->core_size + (m->state == ModState::coming ? m->init_size : 0);
  std::string taint = taint_letters(m->taints);
  if (m->state == ModState::going) taint += "-";
  if (m->state == ModState::coming) taint += "+";
  return "{\"name\": " + json_str(m->name) + ", \"size\": " + std::to_string(size) + ", \"refcnt\": " +
         std::to_string(m->refcnt()) + ", \"users\": " + users + ", \"state\": " + json_str(state_name(m->state)) +
         ", \"taint\": " + json_str(taint) + "}";
}

}  // namespace

std::string replay_batch(const Target& t, const std::string& batch_dir, const std::string& shipped_root) {
  const fs::path dir(batch_dir);
  Input steps = Input::from_path((dir / "steps").string());
  EmulatedKernel k(t, boot_state(boot_tainted_of(dir / "oracle.jsonl")));
  std::string out;
  int flags = 0;
  bool sys = false;
  std::istringstream lines{std::string(steps.bytes())};
  std::string line;
  int step = 0;
  while (std::getline(lines, line)) {
    std::string_view l(line);
    while (!l.empty() && (l.front() == ' ' || l.front() == '\t')) l.remove_prefix(1);
    if (l.empty()) continue;
    if (l[0] == '#') {
      if (l.substr(0, 10) == "# method: ") sys = l.substr(10, 3) == "sys";
      if (l.substr(0, 9) == "# flags: ") flags = std::atoi(std::string(l.substr(9)).c_str());
      continue;
    }
    auto w = split_ws(l);
    ++step;
    std::string op = "insmod";
    if (w[0] == "rmmod" || w[0] == "insmod") { op = w[0]; w.erase(w.begin()); }
    if (w.empty()) throw Error((dir / "steps").string() + ": step " + std::to_string(step) + " names nothing");
    CommandResult r;
    std::string name;
    if (op == "rmmod") {
      name = w[0];
      r = rmmod_module(k, name);
    } else {
      std::string file = w[0], path;
      if (file.rfind("shipped:", 0) == 0) path = (fs::path(shipped_root) / file.substr(8)).string();
      else path = (dir / file).string();
      std::string params;
      for (std::size_t i = 1; i < w.size(); ++i) params += (i > 1 ? " " : "") + w[i];
      const std::string image = read_module_image(path);
      name = oracle_name(image, file);
      r = insmod_module(k, file, image, params, sys ? flags : 0);
    }
    const int err = r.syscall ? r.outcome.err : 0;
    std::string dm = "[";
    for (std::size_t i = 0; i < r.outcome.log.size(); ++i)
      dm += (i ? ", " : "") + std::string("{\"level\": ") + std::to_string(r.outcome.log[i].level) +
            ", \"msg\": " + json_str(r.outcome.log[i].msg) + "}";
    dm += "]";
    std::string se = r.stderr_text;
    if (!se.empty() && se.back() == '\n') se.pop_back();
    out += "{\"step\": " + std::to_string(step) + ", \"op\": " + json_str(op) + ", \"name\": " + json_str(name) +
           ", \"rc\": " + std::to_string(r.rc) + ", \"errno\": " + (r.syscall ? std::to_string(err) : "null") +
           ", \"errname\": " + (r.syscall ? json_str(errno_name(err)) : "null") + ", \"stderr\": " + json_str(se) + ", \"dmesg\": " + dm +
           ", \"proc_modules\": " + proc_json(k, name) + ", \"kernel_tainted\": " + std::to_string(k.state().tainted) +
           (r.outcome.unmodelled.empty() ? "" : ", \"unmodelled\": " + json_str(r.outcome.unmodelled)) + "}\n";
  }
  return out;
}

int replay_main(const std::vector<std::string>& args, Streams& io) {
  static const cli::OptionSpec specs[] = {{0, "kernel", true}, {0, "target", true}, {0, "modules", true}, {'h', "help", false}};
  std::vector<std::string> argv{"loader-replay"};
  argv.insert(argv.end(), args.begin(), args.end());
  cli::Parsed p = cli::parse(argv, specs);
  const std::string usage = "usage: loader-replay [--kernel 6.1|6.12] --target TREE --modules DIR BATCH_DIR\n";
  if (!p.error.empty()) { io.err += p.error + "\n" + usage; return 1; }
  std::optional<Kernel> kernel;
  std::string tree, modules;
  for (const cli::OptionUse& u : p.uses) {
    if (u.key == 'h') { io.out += usage; return 0; }
    if (u.long_name == "kernel") {
      kernel = parse_kernel(u.value);
      if (!kernel) { io.err += "loader-replay: unknown kernel version '" + u.value + "' (choose 6.1 or 6.12)\n"; return 1; }
    }
    if (u.long_name == "target") tree = u.value;
    if (u.long_name == "modules") modules = u.value;
  }
  if (tree.empty() || modules.empty() || p.operands.size() != 1) { io.err += usage; return 1; }
  try {
    Target t = load_target(tree, kernel, modules);
    io.out += replay_batch(t, p.operands[0], modules);
  } catch (const Error& e) {
    io.err += std::string("loader-replay: ") + e.what() + "\n";
    return 1;
  }
  return 0;
}

}  // namespace modforge::loader::harness
