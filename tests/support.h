// Test helpers: run a real tool or our library on the same input and collect what each
// wrote, so tests can compare the two.  The real tools come from the Debian headers
// packages that scripts/setup.sh installs; a missing real tool fails the test.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace modforge::test {

struct Outcome {
  std::string out, err;
  int exit_code = 0;  // 128 + signal when killed
  std::string types;  // the -T file, when one was asked for
};

// Paths of the real genksyms binaries ("6.1" or "6.12").
std::string real_genksyms(std::string_view kernel);

// Runs a program with `input` on stdin.  "@T@" in args is replaced by a fresh file path
// whose content is returned in Outcome::types.  "@ARGV0@" is replaced in the captured
// stderr by the literal "genksyms" so that program paths do not differ.
// Runs argv (argv[0] is the program's path) in `cwd` (unchanged when empty) with stdin from
// the file `stdin_path`; captures stdout, stderr and the exit code.
Outcome run_argv(const std::vector<std::string>& argv, const std::string& cwd, const std::string& stdin_path);
Outcome run_program(const std::string& path, const std::vector<std::string>& args, std::string_view input);
Outcome run_ours(std::string_view kernel, const std::vector<std::string>& args, std::string_view input);

std::string read_file(const std::string& path);
// What `sh -c cmd` prints on standard output.
std::string shell_output(const std::string& cmd);
void write_file(const std::string& path, std::string_view data);
std::string temp_dir();  // a fresh directory under TMPDIR, removed at exit

// The directory holding the extracted genksyms corpus (set up by CTest), or "".
std::string corpus_dir();

}  // namespace modforge::test
