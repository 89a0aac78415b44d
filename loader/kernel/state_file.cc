#include "loader/kernel/state_file.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <unordered_set>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/input.h"

namespace modforge::loader::kernel {

namespace {

constexpr std::string_view kMagic = "modforge-emulated-kernel 1";

std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> f;
  std::size_t p = 0;
  while (p <= line.size()) {
    std::size_t e = line.find(' ', p);
    if (e == std::string_view::npos) e = line.size();
    f.push_back(line.substr(p, e - p));
    p = e + 1;
  }
  return f;
}

bool token_ok(std::string_view s) {
  if (s.empty() || s.size() > 65536) return false;
  for (char c : s)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return false;
  return true;
}

template <class T>
bool number(std::string_view s, T& v, int base = 10) {
  if (s.empty()) return false;
  if (base == 10 && s.size() > 1 && s[0] == '0') return false;  // only what the writer writes
  auto r = std::from_chars(s.data(), s.data() + s.size(), v, base);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

// Names come from the module files (a hostile one may put spaces or control bytes in a
// symbol name): bytes outside '!'..'~' and '%' itself are written as %XX.
std::string enc(std::string_view s) {
  if (s.empty()) return "%00";  // a name no file can hold otherwise (names end at NUL)
  std::string o;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= ' ' || u >= 0x7f || c == '%') {
      char b[4];
      std::snprintf(b, sizeof b, "%%%02x", u);
      o += b;
    } else {
      o += c;
    }
  }
  return o;
}

std::optional<std::string> dec(std::string_view s) {
  if (s == "%00") return std::string();
  std::string o;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      if (static_cast<unsigned char>(s[i]) >= 0x7f) return std::nullopt;  // enc() escapes those
      o += s[i];
      continue;
    }
    unsigned v;
    if (i + 2 >= s.size() + 0 || !number(s.substr(i + 1, 2), v, 16) || s[i + 1] == '+' ||
        std::isupper(static_cast<unsigned char>(s[i + 1])) || std::isupper(static_cast<unsigned char>(s[i + 2])))
      return std::nullopt;
    if (!(v <= ' ' || v >= 0x7f || v == '%')) return std::nullopt;  // only what enc() escapes
    o += static_cast<char>(v);
    i += 2;
  }
  return o;
}

bool flag(std::string_view s, bool& b) {
  if (s == "0") { b = false; return true; }
  if (s == "1") { b = true; return true; }
  return false;
}

}  // namespace

State boot_state(uint64_t boot_tainted) {
  State s;
  s.tainted = boot_tainted;
  return s;
}

std::string format_state(const State& s, const Target& t) {
  std::string o(kMagic);
  o += "\ntarget " + std::string(t.rules().name) + " " + t.release + "\n";
  o += "tainted " + std::to_string(s.tainted) + "\n";
  o += "once";
  for (bool b : {s.sig_notice_done, s.livepatch_notice_done, s.lockdep_off, s.warned_returns_decode,
                 s.warned_returns_thunk, s.warned_orc, s.warned_thunk_run, s.ftrace_disabled, s.warned_btf})
    o += b ? " 1" : " 0";
  o += "\n";
  for (const LoadedModule& m : s.modules) {
    o += "module " + enc(m.name) + " " + std::string(state_name(m.state)) + " " + std::to_string(m.taints) + " " +
         std::to_string(m.core_size) + " " + std::to_string(m.init_size) + " " + (m.has_init ? "1" : "0") + " " +
         (m.has_exit ? "1" : "0") + " " + (m.exit_warns_thunk ? "1" : "0") + "\n";
    for (const std::string& u : m.uses) o += "use " + enc(u) + "\n";
    for (const std::string& h : m.holders) o += "holder " + enc(h) + "\n";
    for (const ModExport& e : m.exports) {
      char crc[16];
      std::snprintf(crc, sizeof crc, "0x%08x", e.crc);
      o += "export " + enc(e.name) + " " + (e.has_crc ? std::string(crc) : std::string("-")) + " " +
           (e.gpl_only ? "1" : "0") + " " + (e.ns.empty() ? std::string("-") : enc(e.ns)) + "\n";
    }
    o += "end\n";
  }
  return o + "eof\n";  // a file cut at a line boundary is still seen as cut
}

State parse_state(std::string_view text, const std::string& name, const Target& t) {
  State s;
  std::size_t lineno = 0, pos = 0;
  auto bad = [&](const std::string& cause) -> Error {
    return Error(name + ": line " + std::to_string(lineno) + ": " + cause);
  };
  enum { kHead, kTarget, kTainted, kOnce, kBody, kModule, kDone } expect = kHead;
  LoadedModule* cur = nullptr;
  int phase = 0;  // within a module: 0 uses, 1 holders, 2 exports
  std::unordered_set<std::string> names;
  while (pos < text.size()) {
    ++lineno;
    std::size_t e = text.find('\n', pos);
    if (e == std::string_view::npos) throw bad("missing newline at end of file");
    std::string_view line = text.substr(pos, e - pos);
    pos = e + 1;
    auto f = fields(line);
    for (std::size_t i = 1; i < f.size(); ++i)
      if (!token_ok(f[i])) throw bad("malformed line");
    switch (expect) {
      case kHead:
        if (line != kMagic) throw bad("not a modforge emulated-kernel state file");
        expect = kTarget;
        continue;
      case kTarget:
        if (f.size() != 3 || f[0] != "target") throw bad("expected 'target'");
        if (f[1] != t.rules().name || f[2] != t.release)
          throw bad("state of " + std::string(f[2]) + " (" + std::string(f[1]) + "), not of the target " + t.release);
        expect = kTainted;
        continue;
      case kTainted:
        if (f.size() != 2 || f[0] != "tainted" || !number(f[1], s.tainted)) throw bad("expected 'tainted N'");
        expect = kOnce;
        continue;
      case kOnce:
        if (f.size() != 10 || f[0] != "once" || !flag(f[1], s.sig_notice_done) || !flag(f[2], s.livepatch_notice_done) ||
            !flag(f[3], s.lockdep_off) || !flag(f[4], s.warned_returns_decode) || !flag(f[5], s.warned_returns_thunk) ||
            !flag(f[6], s.warned_orc) || !flag(f[7], s.warned_thunk_run) || !flag(f[8], s.ftrace_disabled) ||
            !flag(f[9], s.warned_btf))
          throw bad("expected 'once' and nine 0|1 flags");
        expect = kBody;
        continue;
      case kBody: {
        if (f.size() == 1 && f[0] == "eof") {
          if (pos != text.size()) { ++lineno; throw bad("data after 'eof'"); }
          expect = kDone;
          continue;
        }
        if (f.size() != 9 || f[0] != "module") throw bad("expected 'module'");
        LoadedModule m;
        auto nm = dec(f[1]);
        if (!nm) throw bad("bad module name");
        m.name = *nm;
        if (m.name.size() >= 56) throw bad("module name too long");
        if (!names.insert(m.name).second) throw bad("module " + m.name + " listed twice");
        if (f[2] == "Live") m.state = ModState::live;
        else if (f[2] == "Loading") m.state = ModState::coming;
        else if (f[2] == "Unloading") m.state = ModState::going;
        else throw bad("bad module state");
        if (!number(f[3], m.taints) || !number(f[4], m.core_size) || !number(f[5], m.init_size) ||
            !flag(f[6], m.has_init) || !flag(f[7], m.has_exit) || !flag(f[8], m.exit_warns_thunk))
          throw bad("bad module fields");
        s.modules.push_back(std::move(m));
        cur = &s.modules.back();
        phase = 0;
        expect = kModule;
        continue;
      }
      case kModule:
        if (f.size() == 1 && f[0] == "end") { expect = kBody; cur = nullptr; continue; }
        if (f.size() == 2 && (f[0] == "use" || f[0] == "holder")) {
          // uses, then holders, then exports, as the writer orders them; each name once
          const int ph = f[0] == "use" ? 0 : 1;
          if (ph < phase) throw bad("'" + std::string(f[0]) + "' out of order");
          phase = ph;
          auto nm = dec(f[1]);
          if (!nm) throw bad("bad module name");
          auto& list = ph == 0 ? cur->uses : cur->holders;
          if (std::find(list.begin(), list.end(), *nm) != list.end()) throw bad("'" + *nm + "' listed twice");
          list.push_back(*nm);
          continue;
        }
        if (f.size() == 5 && f[0] == "export") {
          phase = 2;
          ModExport x;
          auto nm = dec(f[1]);
          if (!nm) throw bad("bad symbol name");
          x.name = *nm;
          if (f[2] != "-") {
            if (f[2].size() != 10 || f[2].substr(0, 2) != "0x" || !number(f[2].substr(2), x.crc, 16) ||
                f[2].find_first_of("ABCDEF+-") != std::string_view::npos)
              throw bad("bad crc");
            x.has_crc = true;
          }
          if (!flag(f[3], x.gpl_only)) throw bad("bad export flag");
          if (f[4] != "-") {
            auto ns = dec(f[4]);
            if (!ns || ns->empty()) throw bad("bad namespace");
            x.ns = *ns;
          }
          cur->exports.push_back(std::move(x));
          continue;
        }
        throw bad("unexpected line in module " + cur->name);
      case kDone:
        throw bad("data after 'eof'");
    }
  }
  if (expect != kDone) throw Error(name + ": truncated state file");
  // Every use must name a listed module that lists this one as a holder, and back.
  for (const LoadedModule& m : s.modules) {
    for (const std::string& u : m.uses) {
      bool ok = false;
      for (const LoadedModule& o : s.modules)
        if (o.name == u) ok = std::find(o.holders.begin(), o.holders.end(), m.name) != o.holders.end();
      if (!ok) throw Error(name + ": module " + m.name + " uses " + u + ", which does not list it as a holder");
    }
    for (const std::string& h : m.holders) {
      bool ok = false;
      for (const LoadedModule& o : s.modules)
        if (o.name == h) ok = std::find(o.uses.begin(), o.uses.end(), m.name) != o.uses.end();
      if (!ok) throw Error(name + ": module " + m.name + " lists holder " + h + ", which does not use it");
    }
  }
  return s;
}

State read_state_file(const std::string& path, const Target& t) {
  Input in = Input::from_path(path);
  return parse_state(in.bytes(), path, t);
}

void write_state_file(const std::string& path, const State& s, const Target& t) {
  write_file_atomic(path, format_state(s, t));
}

}  // namespace modforge::loader::kernel
