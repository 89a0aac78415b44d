// Compiles through a launcher (ccache, sccache, distcc, icecc, or a path): kbuild's compile
// command rewritten into the form those tools can cache and distribute.  kbuild asks the
// preprocessor for the dependency file with `-Wp,-MMD,<depfile>`, which ccache treats as
// uncacheable and distcc as local-only; the driver's `-MMD -MF <depfile>` writes the same
// dependencies (the target line differs, and fixdep ignores it) and the same object.
// Only the compile gets the launcher: what kbuild appends after it (6.12's objtool on a
// single-object module) stays local and unchanged.  The .cmd file keeps kbuild's own
// command, so make sees the build as up to date.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace modforge::kbuild {

// `command`, a Fixdep step's command, with `launcher` in front of the compiler and the
// dependency option in the launcher-friendly form.  nullopt when the command does not
// have the shape of a kbuild compile (`<compiler> ... -Wp,-MMD,<depfile> ... -c ...`):
// the driver then runs it as it is.
std::optional<std::string> with_launcher(std::string_view command, std::string_view launcher);

}  // namespace modforge::kbuild

namespace modforge::kbuild {

// The launcher as the commands will name it: a name found in PATH stays a name, a path is
// made absolute (the commands run in the tree's directory).  Throws Error when it is not an
// executable.  (Its own variables, CCACHE_DIR, DISTCC_HOSTS ..., reach it from the caller's
// environment: kbuild's commands run in the current one, see make_eval.h.)
std::string resolve_launcher(const std::string& launcher);

}  // namespace modforge::kbuild
