// Replaying a corpus batch (tests/corpus/loader/<ver>/<batch>/, see the loader contract):
// the steps file in one freshly booted emulated kernel, through kmod's insmod and rmmod
// (loader/tools/commands.h), one JSON line per step with the oracle's field names.
#pragma once
#include <string>
#include <vector>

#include "core/tool_main.h"
#include "loader/kernel/target.h"

namespace modforge::loader::harness {

using kernel::Target;

// `shipped_root` resolves "shipped:<path>" files (the target's lib/modules/<release>, as
// the caller names it).  Returns the JSON lines; throws Error on an unreadable batch.
std::string replay_batch(const Target& t, const std::string& batch_dir, const std::string& shipped_root);

// "replay" as a command (args without argv[0]):
//   --kernel 6.1|6.12 --target TREE --modules LIB_MODULES_RELEASE BATCH_DIR
// --modules names the shipped modules (for the target and the batch's "shipped:" files).
using Streams = modforge::Streams;
int replay_main(const std::vector<std::string>& args, Streams& io);

}  // namespace modforge::loader::harness
