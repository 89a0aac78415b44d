#include "core/cli.h"

#include <boost/program_options.hpp>

namespace po = boost::program_options;

namespace modforge::cli {

namespace {

constexpr const char* kOperands = "\x01operands";

const OptionSpec* by_long(std::span<const OptionSpec> specs, std::string_view name) {
  for (const auto& s : specs)
    if (s.long_name == name) return &s;
  return nullptr;
}

const OptionSpec* by_short(std::span<const OptionSpec> specs, char c) {
  for (const auto& s : specs)
    if (s.short_name == c && c != 0) return &s;
  return nullptr;
}

std::string key_of(const OptionSpec& s) {
  return s.long_name.empty() ? std::string(1, s.short_name) : s.long_name;
}

po::options_description describe(std::span<const OptionSpec> specs) {
  po::options_description desc;
  for (const auto& s : specs) {
    std::string names = key_of(s);
    if (s.short_name && !s.long_name.empty()) names += std::string(",") + s.short_name;
    desc.add_options()(names.c_str(), new po::untyped_value(!s.takes_value));
  }
  desc.add_options()(kOperands, po::value<std::vector<std::string>>());
  return desc;
}

po::parsed_options run_boost(const std::vector<std::string>& args, std::size_t end,
                             std::span<const OptionSpec> specs) {
  namespace st = po::command_line_style;
  po::positional_options_description pos;
  pos.add(kOperands, -1);
  std::vector<std::string> tail(args.begin() + 1, args.begin() + static_cast<long>(end));
  return po::command_line_parser(tail)
      .options(describe(specs))
      .positional(pos)
      .style(st::allow_short | st::allow_long | st::allow_dash_for_short | st::long_allow_adjacent |
             st::long_allow_next | st::short_allow_adjacent | st::short_allow_next |
             st::allow_sticky | st::allow_guessing)
      .run();
}

void collect(const po::parsed_options& parsed, std::span<const OptionSpec> specs, Parsed& out) {
  for (const auto& o : parsed.options) {
    if (o.string_key == kOperands) {
      for (const auto& v : o.value) out.operands.push_back(v);
      continue;
    }
    const OptionSpec* s = by_long(specs, o.string_key);
    if (!s && o.string_key.size() == 1) s = by_short(specs, o.string_key[0]);
    if (!s) continue;
    out.uses.push_back({s->short_name, s->long_name, o.value.empty() ? std::string() : o.value[0]});
  }
}

// getopt's verdict on the argument that Boost rejected: the same checks, in the same order,
// so the message is the one glibc prints.
std::string diagnose(const std::string& prog, const std::string& arg, const std::string* next,
                     std::span<const OptionSpec> specs) {
  if (arg.rfind("--", 0) == 0) {
    std::string body = arg.substr(2);
    std::string name = body.substr(0, body.find('='));
    bool has_eq = body.find('=') != std::string::npos;
    const OptionSpec* exact = by_long(specs, name);
    std::vector<const OptionSpec*> matches;
    if (!exact)
      for (const auto& s : specs)
        if (!s.long_name.empty() && s.long_name.rfind(name, 0) == 0) matches.push_back(&s);
    if (!exact && matches.empty()) return prog + ": unrecognized option '" + arg + "'";
    if (!exact && matches.size() > 1) {
      std::string m = prog + ": option '" + arg + "' is ambiguous; possibilities:";
      for (const auto* s : matches) m += " '--" + s->long_name + "'";
      return m;
    }
    const OptionSpec* s = exact ? exact : matches[0];
    if (has_eq && !s->takes_value) return prog + ": option '--" + s->long_name + "' doesn't allow an argument";
    if (!has_eq && s->takes_value && !next)
      return prog + ": option '--" + s->long_name + "' requires an argument";
    return {};
  }
  for (std::size_t i = 1; i < arg.size(); ++i) {
    const OptionSpec* s = by_short(specs, arg[i]);
    if (!s) return prog + ": invalid option -- '" + std::string(1, arg[i]) + "'";
    if (s->takes_value) {
      if (i + 1 == arg.size() && !next)
        return prog + ": option requires an argument -- '" + std::string(1, arg[i]) + "'";
      return {};
    }
  }
  return {};
}

}  // namespace

Parsed parse(const std::vector<std::string>& args, std::span<const OptionSpec> specs) {
  Parsed out;
  const std::string prog = args.empty() ? std::string() : args[0];
  try {
    collect(run_boost(args, args.size(), specs), specs, out);
    return out;
  } catch (const po::error&) {
  }
  // Find the first argument getopt would reject; what comes before it was accepted.
  std::size_t i = 1;
  bool operands_only = false;
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (operands_only || a.size() < 2 || a[0] != '-') continue;
    if (a == "--") { operands_only = true; continue; }
    const std::string* next = i + 1 < args.size() ? &args[i + 1] : nullptr;
    std::string msg = diagnose(prog, a, next, specs);
    if (!msg.empty()) {
      out.error = msg;
      break;
    }
    // A value-taking option consumes the next argument when its value is not attached.
    if (a.rfind("--", 0) == 0) {
      std::string name = a.substr(2, a.find('=') == std::string::npos ? std::string::npos : a.find('=') - 2);
      const OptionSpec* s = by_long(specs, name);
      if (!s)
        for (const auto& sp : specs)
          if (!sp.long_name.empty() && sp.long_name.rfind(name, 0) == 0) s = &sp;
      if (s && s->takes_value && a.find('=') == std::string::npos) ++i;
    } else {
      for (std::size_t k = 1; k < a.size(); ++k) {
        const OptionSpec* s = by_short(specs, a[k]);
        if (s && s->takes_value) {
          if (k + 1 == a.size()) ++i;
          break;
        }
      }
    }
  }
  Parsed before;
  try {
    collect(run_boost(args, std::min(i, args.size()), specs), specs, before);
  } catch (const po::error& e) {
    if (out.error.empty()) out.error = prog + ": " + e.what();
  }
  before.error = out.error.empty() ? prog + ": invalid arguments" : out.error;
  return before;
}

}  // namespace modforge::cli
