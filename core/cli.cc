#include "core/cli.h"

#include <algorithm>
#include <cstdlib>

#include <boost/program_options.hpp>

namespace po = boost::program_options;

namespace modforge::cli {

namespace {

constexpr const char* kOperands = "\x01operands";

const OptionSpec* by_long(std::span<const OptionSpec> specs, std::string_view name) {
  for (const auto& s : specs)
    if (!s.long_name.empty() && s.long_name == name) return &s;
  return nullptr;
}

const OptionSpec* by_short(std::span<const OptionSpec> specs, char c) {
  for (const auto& s : specs)
    if (s.short_name == c && c != 0) return &s;
  return nullptr;
}

// One option as getopt_long returns it, in the canonical spelling Boost is given.
struct Found {
  const OptionSpec* spec;
  std::string value;
};

// glibc getopt_long's walk over the arguments (permuting operands, bundled short flags,
// values taken from the next argument whatever it looks like, unique prefixes of long
// names), stopping at the first argument it would reject with that rejection's message.
struct Scan {
  std::vector<Found> found;
  std::vector<std::string> operands;
  std::string error;
};

Scan scan(const std::vector<std::string>& args, std::span<const OptionSpec> specs) {
  Scan r;
  const std::string prog = args.empty() ? std::string() : args[0];
  const bool in_order = std::getenv("POSIXLY_CORRECT") != nullptr;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      r.operands.insert(r.operands.end(), args.begin() + static_cast<long>(i) + 1, args.end());
      break;
    }
    if (a.size() < 2 || a[0] != '-') {
      if (in_order) {
        r.operands.insert(r.operands.end(), args.begin() + static_cast<long>(i), args.end());
        break;
      }
      r.operands.push_back(a);
      continue;
    }
    const std::string* next = i + 1 < args.size() ? &args[i + 1] : nullptr;
    if (a[1] == '-') {
      const std::string body = a.substr(2);
      const std::size_t eq = body.find('=');
      const std::string name = body.substr(0, eq);
      const OptionSpec* s = by_long(specs, name);
      if (!s) {
        std::vector<const OptionSpec*> matches;
        for (const auto& sp : specs)
          if (!sp.long_name.empty() && !sp.exact_only && sp.long_name.compare(0, name.size(), name) == 0)
            matches.push_back(&sp);
        if (matches.empty()) {
          r.error = prog + ": unrecognized option '" + a + "'";
          return r;
        }
        // getopt_long: long names of one option (the same short letter and argument) are
        // not ambiguous between themselves; the first is taken
        auto val = [](const OptionSpec* m) { return m->short_name ? int(m->short_name) : m->val; };
        const bool one_option = std::all_of(matches.begin(), matches.end(), [&](const OptionSpec* m) {
          return val(m) != 0 && val(m) == val(matches[0]) && m->takes_value == matches[0]->takes_value;
        });
        if (one_option) matches.resize(1);
        if (matches.size() > 1) {
          r.error = prog + ": option '" + a + "' is ambiguous; possibilities:";
          for (const auto* m : matches) r.error += " '--" + m->long_name + "'";
          return r;
        }
        s = matches[0];
      }
      if (eq != std::string::npos) {
        if (!s->takes_value) {
          r.error = prog + ": option '--" + s->long_name + "' doesn't allow an argument";
          return r;
        }
        r.found.push_back({s, body.substr(eq + 1)});
      } else if (s->takes_value) {
        if (!next) {
          r.error = prog + ": option '--" + s->long_name + "' requires an argument";
          return r;
        }
        r.found.push_back({s, *next});
        ++i;
      } else {
        r.found.push_back({s, {}});
      }
      continue;
    }
    for (std::size_t k = 1; k < a.size(); ++k) {
      const OptionSpec* s = by_short(specs, a[k]);
      if (!s) {
        r.error = prog + ": invalid option -- '" + std::string(1, a[k]) + "'";
        return r;
      }
      if (!s->takes_value) {
        r.found.push_back({s, {}});
        continue;
      }
      if (k + 1 < a.size()) {
        r.found.push_back({s, a.substr(k + 1)});
      } else if (next) {
        r.found.push_back({s, *next});
        ++i;
      } else {
        r.error = prog + ": option requires an argument -- '" + std::string(1, a[k]) + "'";
        return r;
      }
      break;
    }
  }
  return r;
}

std::string boost_name(const OptionSpec& s) {
  if (s.long_name.empty()) return std::string(",") + s.short_name;
  return s.short_name ? s.long_name + "," + s.short_name : s.long_name;
}

// The accepted options, spelled canonically (every value attached, or as a separate
// argument when it is empty), go through Boost.Program_options.
Parsed through_boost(const Scan& sc, const std::string& prog, std::span<const OptionSpec> specs) {
  po::options_description desc;
  for (const auto& s : specs) desc.add_options()(boost_name(s).c_str(), new po::untyped_value(!s.takes_value));
  desc.add_options()(kOperands, po::value<std::vector<std::string>>());
  po::positional_options_description pos;
  pos.add(kOperands, -1);

  std::vector<std::string> argv;
  for (const Found& f : sc.found) {
    const bool use_long = !f.spec->long_name.empty();
    const std::string flag = use_long ? "--" + f.spec->long_name : std::string("-") + f.spec->short_name;
    if (!f.spec->takes_value) {
      argv.push_back(flag);
    } else if (f.value.empty()) {
      argv.push_back(flag);
      argv.push_back("");
    } else {
      argv.push_back(use_long ? flag + "=" + f.value : flag + f.value);
    }
  }
  argv.push_back("--");
  argv.insert(argv.end(), sc.operands.begin(), sc.operands.end());

  namespace st = po::command_line_style;
  Parsed out;
  try {
    auto parsed = po::command_line_parser(argv)
                      .options(desc)
                      .positional(pos)
                      .style(st::allow_short | st::allow_long | st::allow_dash_for_short | st::long_allow_adjacent |
                             st::long_allow_next | st::short_allow_adjacent | st::short_allow_next)
                      .run();
    for (const auto& o : parsed.options) {
      if (o.string_key == kOperands) {
        out.operands.insert(out.operands.end(), o.value.begin(), o.value.end());
        continue;
      }
      const OptionSpec* s = by_long(specs, o.string_key);
      if (!s && o.string_key.size() == 2 && o.string_key[0] == '-') s = by_short(specs, o.string_key[1]);
      if (s) out.uses.push_back({s->short_name, s->long_name, o.value.empty() ? std::string() : o.value[0]});
    }
  } catch (const po::error& e) {
    out.error = prog + ": " + e.what();
  }
  return out;
}

}  // namespace

Parsed parse(const std::vector<std::string>& args, std::span<const OptionSpec> specs) {
  Scan sc = scan(args, specs);
  Parsed out = through_boost(sc, args.empty() ? std::string() : args[0], specs);
  if (out.error.empty()) out.error = sc.error;
  return out;
}

bool parse_options(const std::vector<std::string>& args, const po::options_description& desc, const char* usage,
                   std::vector<std::string>& operands, std::ostream& out) {
  po::options_description hidden;
  hidden.add_options()("operand", po::value(&operands));
  po::options_description all;
  all.add(desc).add(hidden);
  po::positional_options_description pos;
  pos.add("operand", -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    out << usage << "\n" << desc;
    return false;
  }
  return true;
}

}  // namespace modforge::cli
