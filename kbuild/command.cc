#include "kbuild/command.h"

#include <boost/program_options.hpp>
#include <filesystem>
#include <future>
#include <iostream>
#include <thread>

#include "core/error.h"
#include "kbuild/build.h"
#include "kbuild/compdb.h"
#include "kbuild/make_eval.h"
#include "kbuild/tree.h"

namespace modforge::kbuild {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

constexpr const char* kUsage =
    "Usage: modforge <command> [options]\n"
    "\n"
    "Commands:\n"
    "  build     build the out-of-tree modules of a directory (make -C <tree> M=DIR modules)\n"
    "  compdb    write the directory's compile_commands.json (clangd, clang-tidy)\n"
    "\n"
    "Run 'modforge <command> --help' for a command's options.\n";

struct Common {
  std::vector<std::string> kernels;
  std::string dir = ".";
  std::vector<std::string> vars;
  int jobs = 0;
  bool verbose = false;
};

po::options_description common_options(Common& c) {
  po::options_description d("Options");
  d.add_options()
      ("help,h", "print this help")
      ("kernel,k", po::value(&c.kernels)->composing(),
       "kernel build tree (repeatable; default: /lib/modules/$(uname -r)/build, else the newest "
       "/usr/src/linux-headers-* tree)")
      ("jobs,j", po::value(&c.jobs), "commands to run at once (default: the number of cores)")
      ("verbose,v", po::bool_switch(&c.verbose), "print every command, as make V=1 does");
  return d;
}

// Operands: the directory (at most one) and VAR=VALUE assignments, as make takes them.
void split_operands(const std::vector<std::string>& ops, Common& c) {
  bool have_dir = false;
  for (auto& o : ops) {
    if (o.find('=') != std::string::npos && o[0] != '=' && o.find('/') > o.find('=')) {
      c.vars.push_back(o);
    } else if (!have_dir) {
      c.dir = o;
      have_dir = true;
    } else {
      throw Error("unexpected argument '" + o + "' (one directory; VAR=VALUE for make variables)");
    }
  }
}

int cmd_build(const std::vector<std::string>& args) {
  Common c;
  auto desc = common_options(c);
  std::vector<std::string> ops;
  po::options_description hidden;
  hidden.add_options()("operand", po::value(&ops));
  po::options_description all;
  all.add(desc).add(hidden);
  po::positional_options_description pos;
  pos.add("operand", -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << "Usage: modforge build [DIR] [VAR=VALUE ...] [options]\n"
                 "Builds the modules of DIR (default: the current directory) as\n"
                 "`make -C <tree> M=DIR VAR=VALUE ... modules` does, with identical outputs.\n\n"
              << desc;
    return 0;
  }
  split_operands(ops, c);
  std::error_code ec;
  fs::path dir = fs::canonical(c.dir, ec);
  if (ec) throw Error(c.dir + ": " + ec.message());
  auto trees = find_trees(c.kernels);
  int jobs = c.jobs > 0 ? c.jobs : int(std::max(1u, std::thread::hardware_concurrency()));
  std::counting_semaphore<> slots(jobs);
  BuildOptions opts{jobs, c.verbose};
  std::string cache = default_cache_root();
  std::vector<std::future<int>> runs;
  for (size_t i = 0; i < trees.size(); ++i) {
    runs.push_back(std::async(std::launch::async, [&, i] {
      Evaluator ev(trees[i], dir.string(), c.vars, cache);
      BuildStats stats;
      try {
        int rc = build_module(ev, opts, slots, stats);
        // Every build leaves compile_commands.json (the first tree's).
        if (rc == 0 && i == 0) write_compdb(ev, {(dir / "compile_commands.json").string(), false}, nullptr);
        return rc;
      } catch (const Error& e) {
        std::cerr << "modforge: " << e.what() << "\n";
        return e.exit_code();
      }
    }));
  }
  int rc = 0;
  for (auto& r : runs) rc = std::max(rc, r.get());
  return rc;
}

int cmd_compdb(const std::vector<std::string>& args) {
  Common c;
  auto desc = common_options(c);
  bool clang = false;
  std::string output;
  desc.add_options()
      ("clang", po::bool_switch(&clang), "leave out the GCC options clang rejects (for clangd and clang-tidy)")
      ("output,o", po::value(&output), "the file to write (default: DIR/compile_commands.json)");
  std::vector<std::string> ops;
  po::options_description hidden;
  hidden.add_options()("operand", po::value(&ops));
  po::options_description all;
  all.add(desc).add(hidden);
  po::positional_options_description pos;
  pos.add("operand", -1);
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << "Usage: modforge compdb [DIR] [VAR=VALUE ...] [options]\n"
                 "Writes the compile_commands.json of DIR (default: the current directory):\n"
                 "one entry per object kbuild compiles, <module>.mod.c included, with the\n"
                 "command `make -C <tree> M=DIR VAR=VALUE ... modules` runs, in the tree.\n"
                 "The <module>.mod.c files come from a build: when DIR has not been built\n"
                 "(or its modules changed since), it is built first, as `modforge build` does.\n"
                 "With several --kernel trees, the first one's commands.\n\n"
              << desc;
    return 0;
  }
  split_operands(ops, c);
  std::error_code ec;
  fs::path dir = fs::canonical(c.dir, ec);
  if (ec) throw Error(c.dir + ": " + ec.message());
  auto trees = find_trees(c.kernels);
  int jobs = c.jobs > 0 ? c.jobs : int(std::max(1u, std::thread::hardware_concurrency()));
  std::counting_semaphore<> slots(jobs);
  BuildOptions opts{jobs, c.verbose};
  Evaluator ev(trees.front(), dir.string(), c.vars, default_cache_root());
  BuildStats stats;
  CompdbOptions co{output.empty() ? (dir / "compile_commands.json").string() : output, clang};
  return write_compdb(ev, co, [&] { return build_module(ev, opts, slots, stats); });
}

}  // namespace

int modforge_main(const std::vector<std::string>& args) {
  try {
    if (args.size() < 2 || args[1] == "--help" || args[1] == "-h") {
      std::cout << kUsage;
      return args.size() < 2 ? 1 : 0;
    }
    std::vector<std::string> rest(args.begin() + 2, args.end());
    if (args[1] == "build") return cmd_build(rest);
    if (args[1] == "compdb") return cmd_compdb(rest);
    std::cerr << "modforge: unknown command '" << args[1] << "'\n" << kUsage;
    return 1;
  } catch (const po::error& e) {
    std::cerr << "modforge " << args[1] << ": " << e.what() << "\n";
    return 1;
  } catch (const Error& e) {
    std::cerr << "modforge: " << e.what() << "\n";
    return e.exit_code();
  }
}

}  // namespace modforge::kbuild
