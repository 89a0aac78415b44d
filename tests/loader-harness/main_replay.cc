// loader-replay: a corpus batch replayed in the emulated kernel (see replay.h).
#include "core/tool_main.h"
#include "replay.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv, argv + argc);
  return modforge::tool_main(args, [&](modforge::Streams& io) {
    return modforge::loader::harness::replay_main({args.begin() + 1, args.end()}, io);
  });
}
