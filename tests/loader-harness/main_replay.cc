// loader-replay: a corpus batch replayed in the emulated kernel (see replay.h).
#include "core/fd_io.h"
#include "replay.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  modforge::loader::harness::Streams io;
  int rc = modforge::loader::harness::replay_main(args, io);
  modforge::write_all(1, io.out);
  modforge::write_all(2, io.err);
  return rc;
}
