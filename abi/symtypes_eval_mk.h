// The makefile loaded (through MAKEFILES) into every make of generate_symtypes()'s runs.
#pragma once
#include <string_view>

namespace modforge::abi {

// Under `make -n`, kbuild's rule macros are replaced: the .c and .S object rules append one
// record per object to <MODFORGE_SG_OUT>/<obj with / as @>.rec (one make process per
// directory, so no two writers share a file): rule, target, source, $(CPP), c_flags (without
// the -Wp,-MMD dependency file, which only costs a write), a_flags.  Every other rule
// expands to nothing.  `override` keeps Kbuild.include's later definitions from replacing
// ours.  At the top level the directories kbuild descends into are exported (6.12: ".";
// 6.1: $(build-dirs)); Makefile.build for scripts/basic saves the environment kbuild's
// sub-makes get.
inline constexpr std::string_view kSymtypesEvalMk = R"mk(
override if_changed_rule = $(if $(filter cc_o_c as_o_S,$(1)),$(sg-rec))
override if_changed =
override if_changed_dep =
override if_changed_except =
override cmd_and_savecmd =
override cmd_and_fixdep =
sg-tab := $(shell printf '\t')
sg-comma := ,
sg-flags = $(filter-out -Wp$(sg-comma)-MMD$(sg-comma)%,$(1))
sg-rec = $(file >>$(MODFORGE_SG_OUT)/$(subst /,@,$(obj)).rec,$(1)$(sg-tab)$@$(sg-tab)$<$(sg-tab)$(CPP)$(sg-tab)$(call sg-flags,$(c_flags))$(sg-tab)$(if $(filter as_o_S,$(1)),$(call sg-flags,$(a_flags))))
ifeq ($(obj),)
export MODFORGE_SG_DIRS = $(or $(build-dir),$(build-dirs))
endif
ifdef MODFORGE_SG_ENV
ifeq ($(obj),scripts/basic)
$(shell env -0 > $(MODFORGE_SG_ENV))
endif
endif
)mk";

}  // namespace modforge::abi
