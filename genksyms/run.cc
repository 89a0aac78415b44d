// The genksyms command line, as each kernel version's main() handles it.
#include <cerrno>
#include <cstdlib>
#include <memory>
#include <new>
#include <optional>

#include "core/atomic_file.h"
#include "core/cli.h"
#include "core/error.h"
#include "core/input.h"
#include "genksyms/engine.h"
#include "genksyms/genksyms.h"

namespace modforge::genksyms {

namespace {

// What differs between the versions' command lines: 6.1 still lists -s in getopt's option
// string and its usage text, but has no case for it, so -s ends in the usage and exit 1.
struct CommandLine {
  bool has_symbol_prefix;
};

constexpr CommandLine k61{.has_symbol_prefix = true};
constexpr CommandLine k612{.has_symbol_prefix = false};

const CommandLine& command_line(Kernel k) {
  return per_kernel(k, k61, k612);
}

std::string usage(const CommandLine& cl) {
  std::string u =
      "Usage:\n"
      "genksyms [-adDTwqhVR] > /path/to/.tmp_obj.ver\n"
      "\n";
  if (cl.has_symbol_prefix) u += "  -s, --symbol-prefix   Select symbol prefix\n";
  u +=
      "  -d, --debug           Increment the debug level (repeatable)\n"
      "  -D, --dump            Dump expanded symbol defs (for debugging only)\n"
      "  -r, --reference file  Read reference symbols from a file\n"
      "  -T, --dump-types file Dump expanded types into file\n"
      "  -p, --preserve        Preserve reference modversions or fail\n"
      "  -w, --warnings        Enable warnings\n"
      "  -q, --quiet           Disable warnings (default)\n"
      "  -h, --help            Print this message\n"
      "  -V, --version         Print the release version\n";
  return u;
}

std::vector<cli::OptionSpec> option_specs(const CommandLine& cl) {
  std::vector<cli::OptionSpec> specs = {
      {'d', "debug", false},     {'w', "warnings", false},  {'q', "quiet", false},
      {'D', "dump", false},      {'r', "reference", true},  {'T', "dump-types", true},
      {'p', "preserve", false},  {'V', "version", false},   {'h', "help", false},
  };
  if (cl.has_symbol_prefix) specs.push_back({'s', "", true});
  return specs;
}

}  // namespace


int run(const std::vector<std::string>& args, Kernel kernel, std::string_view input, Streams& io) {
  const CommandLine& cl = command_line(kernel);
  const auto specs = option_specs(cl);
  cli::Parsed parsed = cli::parse(args, specs);

  // The real tool opens every -T file with fopen("w") when it meets the option, so each one
  // is empty unless the run gets to write the types into the last: commit them all on the
  // way out, whatever the way out is.
  std::vector<std::unique_ptr<AtomicFile>> types_files;
  struct CommitAll {
    std::vector<std::unique_ptr<AtomicFile>>& files;
    std::string& err;
    ~CommitAll() {
      for (auto& f : files) {
        try {
          f->commit();
        } catch (const Error& e) {
          err += e.what();
          err += '\n';
        }
      }
    }
  } commit_all{types_files, io.err};

  Settings s;
  std::optional<Input> reference;
  try {
    for (const cli::OptionUse& u : parsed.uses) {
      switch (u.key) {
        case 'd': ++s.debug; break;
        case 'w': s.warnings = true; break;
        case 'q': s.warnings = false; break;
        case 'V': io.err += "genksyms version 2.5.60\n"; break;
        case 'D': s.dump_defs = true; break;
        case 'r': reference.emplace(Input::from_path(u.value)); break;
        case 'T':
          types_files.push_back(std::make_unique<AtomicFile>(u.value));
          break;
        case 'p': s.preserve = true; break;
        case 'h': io.err += usage(cl); return 0;
        default: io.err += usage(cl); return 1;  // 6.1's -s
      }
    }
  } catch (const Error& e) {
    io.err += e.what();
    io.err += '\n';
    return 1;
  }
  if (!parsed.error.empty()) {
    io.err += parsed.error + "\n" + usage(cl);
    return 1;
  }

  try {
    Engine engine(s, io.out, io.err);
    if (reference) engine.read_reference(reference->bytes());
    engine.parse(input);
    if (!types_files.empty()) types_files.back()->buffer() = engine.types();
    if (s.debug) engine.print_occupancy();
    return engine.errors() != 0;
  } catch (const Error& e) {
    io.err += e.what();
    io.err += '\n';
    return e.exit_code();
  } catch (const std::bad_alloc&) {
    // what the real tool's xmalloc prints when malloc fails
    io.err += "out of memory\n";
    return 1;
  }
}

}  // namespace modforge::genksyms
