// Replaying a corpus batch (tests/corpus/loader/<ver>/<batch>/, see the loader contract):
// the steps file in one freshly booted emulated kernel, one JSON line per step with the
// oracle's field names.
#pragma once
#include <string>
#include <vector>

#include "loader/kernel/target.h"

namespace modforge::loader::kernel {

// `shipped_root` resolves "shipped:<path>" files (lib/modules/<release>/ of the oracle
// cache).  Returns the JSON lines; throws Error on an unreadable batch.
std::string replay_batch(const Target& t, const std::string& batch_dir, const std::string& shipped_root);

// "replay" as a command (args without argv[0]): --kernel 6.1|6.12 --target TREE BATCH_DIR.
struct Streams { std::string out, err; };
int replay_main(const std::vector<std::string>& args, Streams& io);

}  // namespace modforge::loader::kernel
