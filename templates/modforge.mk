# modforge.mk: the targets of an out-of-tree module's own Makefile, run by modforge's kbuild
# driver.  In the module's Makefile:
#
#   obj-m := hello.o                          # what kbuild reads, as always
#   include $(shell modforge --makefile)      # (or in the `else` part of the classic
#                                             #  ifneq ($(KERNELRELEASE),) ... else ... endif)
#
#   make [modules]              modforge build   <the Makefile's directory>
#   make clean                  modforge clean   (as make -C <tree> M=<dir> clean)
#   make install|modules_install  modforge install (as modules_install, then depmod)
#
# Variables: KERNEL_DIR (one or more kernel build trees; else KDIR; else modforge's default,
# /lib/modules/$(uname -r)/build), V=1 (modforge -v: every command), MODFORGE (the driver:
# default the one installed beside this file, else `modforge` on PATH), MODFORGE_FLAGS (more
# options: -O DIR, -j N, --launcher ccache, ...).  Every other VAR=VALUE of make's command line
# (INSTALL_MOD_PATH, INSTALL_MOD_DIR, KERNELRELEASE, KCFLAGS, ...) is passed on to the driver.
#
# The recipes are marked '+', so make passes its jobserver on: under `make -jN` (or a parent
# build's `$(MAKE) -C <dir>` with -jN) the driver runs at most N commands at once, taking its
# job slots from make; without -j it runs as many as it would alone.
#
# When kbuild itself reads the Makefile (make -C <tree> M=<dir>, or modforge's evaluation of
# it: `obj` is set and KERNELRELEASE comes from the kernel's Makefile), this file defines
# nothing.

ifeq ($(if $(obj),kbuild,$(if $(filter-out command line,$(origin KERNELRELEASE)),$(KERNELRELEASE))),)

modforge-mk-dir := $(dir $(lastword $(MAKEFILE_LIST)))
MODFORGE ?= $(or $(wildcard $(abspath $(modforge-mk-dir)../../bin/modforge)),modforge)
# The module directory: the one of the Makefile make was started with (-C or -f).
MODFORGE_MODULE_DIR ?= $(abspath $(dir $(firstword $(MAKEFILE_LIST))))

modforge-kernels = $(foreach k,$(or $(KERNEL_DIR),$(KDIR)),--kernel $(k))
# make's command-line variables (a parent make's too), by name so that values with spaces or
# quotes pass whole; unexpanded, as make passes them to its sub-makes.
modforge-own := KERNEL_DIR KDIR MODFORGE MODFORGE_FLAGS MODFORGE_MODULE_DIR V
modforge-vars = $(strip $(foreach v,$(sort $(filter-out $(modforge-own),$(.VARIABLES))),$(if \
  $(filter command line,$(origin $(v))),'$(v)=$(subst ','\'',$(value $(v)))')))
modforge-args = $(strip $(MODFORGE_MODULE_DIR) $(modforge-kernels) $(modforge-vars) $(if $(filter 1,$(V)),-v) \
  $(MODFORGE_FLAGS))
# '+' (make passes its jobserver on) also runs the recipe under make -n: there it is left out,
# and make only prints the command.
modforge-run = $(if $(findstring n,$(firstword -$(MAKEFLAGS))),,+)$(if $(filter 1,$(V)),,@)$(MODFORGE)

.PHONY: all modules clean install modules_install

all modules:
	$(modforge-run) build $(modforge-args)

clean:
	$(modforge-run) clean $(modforge-args)

install modules_install:
	$(modforge-run) install $(modforge-args)

endif
