// The steps the driver runs in-process instead of through the shell: genksyms on an
// object that exports symbols, and modpost.
#pragma once
#include "kbuild/make_eval.h"
#include "kbuild/plan.h"
#include "kbuild/rules.h"

namespace modforge::kbuild {

// Whether `s` is a command the driver runs in-process: modpost (in the shapes kbuild writes
// it), 6.1's check-local-export (an nm | awk script run on every object) and kbuild's
// gen_objtooldep (a line appended to the .cmd file).
bool step_in_process(Evaluator& ev, const Target& t, const Step& s);
// Runs it; its messages go to stderr.  False on failure.
bool run_in_process(Evaluator& ev, const Target& t, const Step& s);

// kbuild's gen_symversions: when the object exports, its preprocessed source through
// genksyms, whose #SYMVER lines are appended to the object's .cmd file.
bool run_symver(Evaluator& ev, const Target& t, const Step& s, const Rules& rules, bool verbose);

// modules_install's last step, with our depmod: -a on $(MODLIB)'s release under
// INSTALL_MOD_PATH.  Prints kbuild's "  DEPMOD  <MODLIB>" line.  Returns the exit code.
int run_depmod(Evaluator& ev, bool verbose);

}  // namespace modforge::kbuild
