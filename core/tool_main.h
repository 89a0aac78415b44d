// How a tool's main() runs its library and ends: the library collects what it prints in
// Streams; an Error that escapes ends as "<argv0>: <cause>" with its exit code; standard
// error is written before standard output (the real tools' stderr is unbuffered and their
// stdout flushed at exit).
#pragma once
#include <sstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/fd_io.h"

namespace modforge {

struct Streams {
  std::string out;
  std::string err;
};

// body(Streams&) -> exit code
template <class Body>
int tool_main(const std::vector<std::string>& args, Body&& body) {
  Streams io;
  int rc;
  try {
    rc = body(io);
  } catch (const Error& e) {
    io.err += args[0] + ": " + e.what() + "\n";
    rc = e.exit_code();
  }
  write_all(2, io.err);
  write_all(1, io.out);
  return rc;
}

// tool_main() for a library that prints to std::ostream (the loader's):
// lib(args without argv[0], out, err) -> exit code.
template <class Lib>
int ostream_tool_main(const std::vector<std::string>& args, Lib&& lib) {
  return tool_main(args, [&](Streams& io) {
    std::ostringstream out, err;
    const int rc = lib(std::vector<std::string>(args.begin() + 1, args.end()), out, err);
    io.out = std::move(out).str();
    io.err = std::move(err).str();
    return rc;
  });
}

}  // namespace modforge
