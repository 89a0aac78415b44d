#include "loader/kernel/params.h"

#include <cerrno>
#include <cstring>

#include "loader/kernel/dyndbg.h"
#include "loader/kernel/module_view.h"

namespace modforge::loader::kernel {

namespace {

// struct kernel_param on x86-64: name@0, mod@8, ops@16, perm@24, level@26, flags@27, arg@32.
constexpr uint64_t kParamSize = 40;

struct OpsName { std::string_view sym; ParamType type; };
constexpr OpsName kOps[] = {
    {"param_ops_byte", ParamType::byte},     {"param_ops_short", ParamType::short_},
    {"param_ops_ushort", ParamType::ushort}, {"param_ops_int", ParamType::int_},
    {"param_ops_uint", ParamType::uint},     {"param_ops_long", ParamType::long_},
    {"param_ops_ulong", ParamType::ulong},   {"param_ops_ullong", ParamType::ullong},
    {"param_ops_hexint", ParamType::hexint}, {"param_ops_charp", ParamType::charp},
    {"param_ops_bool", ParamType::bool_},    {"param_ops_bool_enable_only", ParamType::bool_enable_only},
    {"param_ops_invbool", ParamType::invbool}, {"param_ops_bint", ParamType::bint},
    {"param_ops_string", ParamType::string},
};

ParamType type_of_ops(std::string_view sym) {
  for (const OpsName& o : kOps)
    if (o.sym == sym) return o.type;
  return ParamType::custom;
}

uint32_t u32_at(std::string_view b, std::size_t off) {
  uint32_t v = 0;
  if (b.size() >= off + 4) std::memcpy(&v, b.data() + off, 4);
  return v;
}

// The section and offset a symbol + addend designates.
struct Place { unsigned sec = 0; uint64_t off = 0; bool ok = false; };
Place place_of(const ModuleView& m, const ModuleView::Reloc& r) {
  if (r.sym >= m.num_symbols()) return {};
  Sym s = m.symbol(r.sym);
  if (s.st_shndx == 0 || s.st_shndx >= m.image.shnum()) return {};
  return {s.st_shndx, s.st_value + static_cast<uint64_t>(r.addend), true};
}

bool noarg(ParamType t) {
  return t == ParamType::bool_ || t == ParamType::bool_enable_only || t == ParamType::bint ||
         t == ParamType::custom;
}

bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// lib/cmdline.c next_arg(): one "param[=val]" with double quotes, and the rest.
struct Arg { std::string param; std::optional<std::string> val; };
Arg next_arg(std::string_view& args) {
  bool in_quote = false, quoted = false;
  std::string s(args);
  std::size_t start = 0;
  if (!s.empty() && s[0] == '"') { start = 1; in_quote = quoted = true; }
  std::size_t i = start, equals = 0;
  for (; i < s.size(); ++i) {
    if (is_space(s[i]) && !in_quote) break;
    if (equals == 0 && s[i] == '=') equals = i - start;
    if (s[i] == '"') in_quote = !in_quote;
  }
  std::string tok = s.substr(start, i - start);
  Arg a;
  std::size_t vs = 0;
  bool cut = false;  // the closing quote becomes the string's end
  if (equals) {
    vs = equals + 1;
    if (vs < tok.size() && tok[vs] == '"') {
      ++vs;
      if (tok.back() == '"') cut = true;
    }
  }
  if (quoted && !tok.empty() && tok.back() == '"') cut = true;
  const std::size_t end = cut ? tok.size() - 1 : tok.size();
  a.param = tok.substr(0, equals ? equals : end);
  if (equals) a.val = vs <= end ? tok.substr(vs, end - vs) : std::string();
  std::size_t rest = i < s.size() ? i + 1 : i;
  args.remove_prefix(std::min(rest, args.size()));
  while (!args.empty() && is_space(args.front())) args.remove_prefix(1);
  return a;
}

bool parameq(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i] == '-' ? '_' : a[i], y = b[i] == '-' ? '_' : b[i];
    if (x != y) return false;
  }
  return true;
}

int kstrtoull_raw(std::string_view s, uint64_t& res) {
  unsigned base = 10;
  if (!s.empty() && s[0] == '0') {
    base = (s.size() > 2 && (s[1] | 0x20) == 'x' && std::isxdigit(static_cast<unsigned char>(s[2]))) ? 16 : 8;
  }
  if (base == 16 && s.size() >= 2 && s[0] == '0' && (s[1] | 0x20) == 'x') s.remove_prefix(2);
  unsigned __int128 v = 0;
  bool overflow = false;
  std::size_t n = 0;
  for (; n < s.size(); ++n) {
    char c = s[n];
    unsigned d;
    if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
    else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') d = static_cast<unsigned>((c | 0x20) - 'a' + 10);
    else break;
    if (d >= base) break;
    v = v * base + d;
    if (v > UINT64_MAX) { overflow = true; v &= UINT64_MAX; }
  }
  if (overflow) return -ERANGE;
  if (n == 0) return -EINVAL;
  s.remove_prefix(n);
  if (!s.empty() && s[0] == '\n') s.remove_prefix(1);
  if (!s.empty()) return -EINVAL;
  res = static_cast<uint64_t>(v);
  return 0;
}

template <class T>
int set_signed(std::string_view v, int64_t lo, int64_t hi) {
  int64_t x;
  if (int e = kstrtoll(v, x)) return e;
  return (x < lo || x > hi) ? -ERANGE : 0;
}
int set_unsigned(std::string_view v, uint64_t hi) {
  uint64_t x;
  if (int e = kstrtoull(v, x)) return e;
  return x > hi ? -ERANGE : 0;
}

// One value through the ops' set(), for a parameter named `name` (messages).
int set_value(const ParamDef& p, std::string_view name, const std::optional<std::string_view>& val, Log& log) {
  std::string_view v = val.value_or(std::string_view{});
  bool b;
  switch (p.type) {
    case ParamType::byte: return set_unsigned(v, 0xff);
    case ParamType::short_: return set_signed<int16_t>(v, INT16_MIN, INT16_MAX);
    case ParamType::ushort: return set_unsigned(v, 0xffff);
    case ParamType::int_: return set_signed<int32_t>(v, INT32_MIN, INT32_MAX);
    case ParamType::uint: case ParamType::hexint: return set_unsigned(v, UINT32_MAX);
    case ParamType::long_: return set_signed<int64_t>(v, INT64_MIN, INT64_MAX);
    case ParamType::ulong: case ParamType::ullong: return set_unsigned(v, UINT64_MAX);
    case ParamType::charp:
      if (v.size() > 1024) {
        logf(log, kErr, std::string(name) + ": string parameter too long");
        return -ENOSPC;
      }
      return 0;
    case ParamType::bool_: case ParamType::bint: case ParamType::bool_enable_only:
      return kstrtobool(val ? v : std::string_view("1"), b);
    case ParamType::invbool:
      return kstrtobool(v, b);
    case ParamType::string:
      if (p.string_max == 0 || v.size() >= p.string_max) {
        logf(log, kErr, std::string(name) + ": string doesn't fit in " + std::to_string(p.string_max - 1) + " chars.");
        return -ENOSPC;
      }
      return 0;
    case ParamType::custom: return 0;
  }
  return 0;
}

int set_param(const ParamDef& p, const std::optional<std::string>& val, Log& log) {
  if (!p.array) return set_value(p, p.name, val ? std::optional<std::string_view>(*val) : std::nullopt, log);
  // param_array(): comma-separated elements, at most max of them.
  std::string_view rest = *val;
  uint32_t num = 0;
  for (;;) {
    if (num == p.array_max) {
      logf(log, kErr, p.name + ": can only take " + std::to_string(static_cast<int>(p.array_max)) + " arguments");
      return -EINVAL;
    }
    std::size_t len = rest.find(',');
    std::string_view elem = rest.substr(0, len);
    if (int e = set_value(p, p.name, elem, log)) return e;
    ++num;
    if (len == std::string_view::npos) break;
    rest.remove_prefix(len + 1);
  }
  return 0;
}

}  // namespace

int kstrtoull(std::string_view s, uint64_t& res) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  return kstrtoull_raw(s, res);
}

int kstrtoll(std::string_view s, int64_t& res) {
  uint64_t tmp;
  if (!s.empty() && s[0] == '-') {
    if (int e = kstrtoull_raw(s.substr(1), tmp)) return e;
    if (static_cast<int64_t>(0 - tmp) > 0) return -ERANGE;
    res = static_cast<int64_t>(0 - tmp);
  } else {
    if (int e = kstrtoull(s, tmp)) return e;
    if (static_cast<int64_t>(tmp) < 0) return -ERANGE;
    res = static_cast<int64_t>(tmp);
  }
  return 0;
}

int kstrtobool(std::string_view s, bool& res) {
  if (s.empty()) return -EINVAL;
  switch (s[0]) {
    case 'y': case 'Y': case 't': case 'T': case '1': res = true; return 0;
    case 'n': case 'N': case 'f': case 'F': case '0': res = false; return 0;
    case 'o': case 'O':
      if (s.size() > 1 && (s[1] == 'n' || s[1] == 'N')) { res = true; return 0; }
      if (s.size() > 1 && (s[1] == 'f' || s[1] == 'F')) { res = false; return 0; }
      break;
    default: break;
  }
  return -EINVAL;
}

std::vector<ParamDef> read_params(const ModuleView& m) {
  std::vector<ParamDef> out;
  unsigned sec = m.find_sec("__param");
  if (!sec) return out;
  const Shdr& ps = m.image.sections()[sec];
  const uint64_t n = ps.sh_size / kParamSize;
  std::string_view table = m.image.contents(ps);
  for (uint64_t i = 0; i < n; ++i) {
    const uint64_t base = i * kParamSize;
    ParamDef p;
    if (table.size() >= base + kParamSize) p.flags = static_cast<uint8_t>(table[base + 27]);
    if (auto r = m.reloc_at(sec, base); r && r->sym < m.num_symbols()) {
      std::string_view s = m.target_bytes(m.symbol(r->sym), r->addend);
      p.name = std::string(s.substr(0, s.find('\0')));
    }
    if (auto r = m.reloc_at(sec, base + 16); r && r->sym < m.num_symbols()) {
      std::string_view ops = m.symbol_name(m.symbol(r->sym));
      if (ops == "param_array_ops") {
        p.array = true;
        if (auto a = m.reloc_at(sec, base + 32)) {
          Place pl = place_of(m, *a);
          if (pl.ok) {
            std::string_view arr = m.target_bytes(m.symbol(a->sym), a->addend);
            p.array_max = u32_at(arr, 0);
            if (auto eops = m.reloc_at(pl.sec, pl.off + 16); eops && eops->sym < m.num_symbols())
              p.type = type_of_ops(m.symbol_name(m.symbol(eops->sym)));
          }
        }
      } else {
        p.type = type_of_ops(ops);
        if (p.type == ParamType::string) {
          if (auto a = m.reloc_at(sec, base + 32); a && a->sym < m.num_symbols())
            p.string_max = u32_at(m.target_bytes(m.symbol(a->sym), a->addend), 0);
        }
      }
    }
    out.push_back(std::move(p));
  }
  return out;
}

ParseResult parse_module_args(std::string_view mod_name, std::string_view args,
                              const std::vector<ParamDef>& params, Log& log, const Rules& r) {
  ParseResult res;
  const std::string doing(mod_name);
  while (!args.empty() && is_space(args.front())) args.remove_prefix(1);
  while (!args.empty()) {
    Arg a = next_arg(args);
    if (!a.val && a.param == "--") {
      if (!res.err) {
        res.has_dashes = true;
        res.after_dashes = std::string(args);
      }
      return res;
    }
    int ret = 0;
    const ParamDef* def = nullptr;
    for (const ParamDef& p : params)
      if (parameq(a.param, p.name)) { def = &p; break; }
    if (def) {
      const bool takes_noarg = !def->array && noarg(def->type);
      if (!a.val && !takes_noarg) {
        ret = -EINVAL;
      } else {
        if (def->flags & 1) {
          logf(log, kNotice, "Setting dangerous option " + def->name + " - tainting kernel");
          res.taint_user = true;
        }
        ret = set_param(*def, a.val, log);
      }
    } else {
      // unknown_module_param_cb: async_probe and dyndbg are taken, the rest ignored.
      std::string shown;
      if (a.param != "async_probe" && !dyndbg_module_param(a.param, a.val, r, log, shown))
        logf(log, kWarn, doing + ": unknown parameter '" + shown + "' ignored");
    }
    if (ret == 0) continue;
    std::string v = a.val.value_or("");
    // param_array() cut the value at its first comma in place (it NUL-terminates each
    // element), and parse_args prints what is left.
    if (def && def->array && ret != -ENOENT) v = v.substr(0, v.find(','));
    if (ret == -ENOENT) logf(log, kErr, doing + ": Unknown parameter `" + a.param + "'");
    else if (ret == -ENOSPC) logf(log, kErr, doing + ": `" + v + "' too large for parameter `" + a.param + "'");
    else logf(log, kErr, doing + ": `" + v + "' invalid for parameter `" + a.param + "'");
    res.err = ret;
  }
  return res;
}

}  // namespace modforge::loader::kernel
