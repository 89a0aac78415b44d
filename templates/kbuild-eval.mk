# modforge kbuild: loaded into every make of a `make -n -B -C <tree> M=<dir> modules` run
# through MAKEFILES.  It replaces kbuild's command-running macros (Kbuild.include) so that
# make prints, for every target it would build, the exact commands kbuild would run, as
# records "@MF@<kind>@<arg>@<target>@<payload>" on stdout, and runs nothing.  `override`
# keeps kbuild's later definitions from replacing ours.
define mf-newline


endef
mf-rec = $(info @MF@$(1)@$(2)@$@@$(subst $(mf-newline),@NL@,$(3)))
mf-files = $(if $(mf-files-done),,$(eval mf-files-done := 1)$(call mf-rec,makefiles,,$(MAKEFILE_LIST)))
mf-quiet = $(call mf-rec,quiet,$(1),$(quiet_cmd_$(1)))
# A target that only runs commands (no if_changed: Makefile.modinst's) still waits for its
# prerequisites: "order" gives them, for the driver's scheduling only.
override cmd = $(mf-files)$(call mf-rec,order,,$(call mf-own-prereqs,))$(if $(cmd_$(1)),$(call mf-rec,cmd,$(1),$(cmd_$(1)))$(mf-quiet))
override cmd_and_savecmd = $(mf-files)$(call mf-rec,savecmd,$(1),$(cmd_$(1)))$(mf-quiet)
override cmd_and_fixdep = $(mf-files)$(call mf-rec,fixdep,$(1),$(cmd_$(1)))$(call mf-rec,depfile,,$(depfile))$(mf-quiet)
# The rule's own prerequisites ($(1): words to leave out): not what an existing .cmd file
# adds (deps_<target>, which the driver reads from the .cmd file itself), except the source.
mf-own-prereqs = $(filter-out FORCE $(1) $(filter-out $<,$(deps_$@)),$^)
mf-prereqs = $(call mf-rec,prereqs,,$(call mf-own-prereqs,$(1)))
override if_changed = $(call mf-prereqs,)$(cmd_and_savecmd)
override if_changed_dep = $(call mf-prereqs,)$(cmd_and_fixdep)
override if_changed_rule = $(call mf-prereqs,)$(rule_$(1))
override if_changed_except = $(call mf-prereqs,$(2))$(cmd_and_savecmd)
# genksyms runs in-process: the preprocessor command and genksyms' arguments, apart.
mf-genksyms = $(call genksyms,$(KBUILD_SYMTYPES),$(@:.o=.symtypes))
override gen_symversions = $(call mf-rec,symver,$(1),$(subst | $(mf-genksyms),,$(call cmd_gensymtypes_$(1),$(KBUILD_SYMTYPES),$(@:.o=.symtypes))))$(call mf-rec,genksyms,$(1),$(mf-genksyms))
# What the top-level Makefile read (the tree's identity for the cache), passed down.
ifeq ($(obj),)
export MODFORGE_TOP_MAKEFILES = $(MAKEFILE_LIST)
endif
# The environment kbuild's sub-makes run in, to rerun one stage without the top level:
# the module directory's own Makefile.build (a subdirectory's gets what the module's
# Kbuild exported and appended: ovpn-dco's NOSTDINC_FLAGS +=).
ifdef MODFORGE_ENV_OUT
ifeq ($(obj),$(KBUILD_EXTMOD))
ifneq ($(obj),)
$(shell env -0 > $(MODFORGE_ENV_OUT))
endif
endif
endif
