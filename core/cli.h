// Command lines that behave like glibc getopt_long (option permutation, bundled short flags,
// abbreviated long options, getopt's diagnostics), parsed with Boost.Program_options.
// Tools that are drop-ins for getopt-based C programs use this so that kbuild's command
// lines and every error text stay the same.
#pragma once
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace boost::program_options {
class options_description;
}

namespace modforge::cli {

// A subcommand's Boost.Program_options parse: `args` with `desc` plus positional operands
// (into `operands`); prints `usage` and `desc` to `out` and returns false for --help.
// Throws boost::program_options::error.
bool parse_options(const std::vector<std::string>& args, const boost::program_options::options_description& desc,
                   const char* usage, std::vector<std::string>& operands, std::ostream& out);


struct OptionSpec {
  char short_name;        // 0 when the option has no short form
  std::string long_name;  // empty when the option has no long form
  bool takes_value;
  // Our own options added to a real tool's: matched by their full name only, so that every
  // abbreviation the real tool accepts or refuses is accepted or refused the same way.
  bool exact_only = false;
  // getopt_long's val of a long-only option: long names with one val are spellings of one
  // option (as are long names with one short_name), so a prefix of both is not ambiguous.
  int val = 0;
};

struct OptionUse {
  char key;  // short_name of the spec, or 0 for long-only options (see long_name)
  std::string long_name;
  std::string value;
};

struct Parsed {
  std::vector<OptionUse> uses;        // in command-line order, up to the first bad argument
                                      // (letters of a bundle before the bad one included)
  std::vector<std::string> operands;  // non-option arguments
  std::string error;                  // getopt's message (no trailing newline); empty if none
};

// args[0] is the program name, used in messages as getopt uses argv[0].
Parsed parse(const std::vector<std::string>& args, std::span<const OptionSpec> specs);

}  // namespace modforge::cli
