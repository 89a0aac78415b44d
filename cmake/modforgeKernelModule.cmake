# modforge_add_kernel_module(): an out-of-tree Linux kernel module as a CMake target, built by
# `modforge build` exactly as `make -C <tree> M=<dir> modules` builds it.
#
#   modforge_add_kernel_module(<name>
#     SOURCES <file>...                 .c and .S files become the module's objects; headers listed
#                                       are linked beside them, so that a source's "..." include
#                                       finds them in the module directory as make in place does
#                                       (the same paths in the DWARF: the .ko make builds); others
#                                       are found through -iquote
#     [KERNEL_DIR <dir>...]             kernel build trees (default: ${MODFORGE_KERNEL_DIR}, else what
#                                       `modforge build` picks: /lib/modules/$(uname -r)/build, else
#                                       the newest /usr/src/linux-headers-*)
#     [KBUILD_FILE <file>]              the module's own Kbuild, included by the generated one
#                                       (then it names obj-m; <name>.ko must be what it builds)
#     [CFLAGS <flag>...]                ccflags-y entries, as kbuild takes them (shell words)
#     [DEFINES <NAME[=VALUE]>...]       -D for C and assembler sources
#     [INCLUDE_DIRECTORIES <dir>...]    -I for C and assembler sources
#     [DEPENDS <module target>...]      modules whose exported symbols this one uses: their
#                                       Module.symvers (per kernel) go into KBUILD_EXTRA_SYMBOLS
#     [EXTRA_SYMBOLS <Module.symvers>...]
#     [JOBS <n>]                        modforge build -j (default: ${MODFORGE_JOBS}, else the cores)
#     [COMPILE_COMMANDS] [CLANG]        merge the module's compile commands into
#                                       ${CMAKE_BINARY_DIR}/compile_commands.json (also on with
#                                       MODFORGE_EXPORT_COMPILE_COMMANDS; CLANG or
#                                       MODFORGE_COMPILE_COMMANDS_CLANG: the clang variant)
#     [EXCLUDE_FROM_ALL])
#
# How it stays exact: the function writes a Kbuild (only when its content changes) into
# <bindir>/<name>/src/ beside links to the sources, and one custom command runs
#   modforge build <bindir>/<name>/src --kernel K... -O ... --depfile <bindir>/<name>/deps.d
# whose outputs go to <bindir>/<name>/<release>/ (one directory per kernel: <name>.ko,
# Module.symvers, kbuild's .cmd files ...).  The depfile names every file that build read: the
# sources, every header of the .cmd files' dependencies (the module's, the include
# directories', the kernel tree's), the Kbuild, the tree's Makefiles and config files, the
# imported Module.symvers.  Ninja and make run the command again when one of them changes,
# and the driver then rebuilds what kbuild would (its own .cmd-file tracking).  The command's
# output is a stamp (the depfile's target); the .ko files and Module.symvers are byproducts,
# so that with Ninja (restat) an importer is built again only when an exporter's
# Module.symvers really changed.
#
# The target's properties:
#   MODFORGE_KERNEL_DIRS, MODFORGE_KERNEL_RELEASES, MODFORGE_OUTPUT_DIRS,
#   MODFORGE_MODULE_FILES (the .ko per kernel), MODFORGE_SYMVERS_FILES (Module.symvers per
#   kernel), MODFORGE_EXPORTED_SYMVERS_FILES (<bindir>/<name>/exports/<release>/Module.symvers:
#   its copy for importers, rewritten only when it changes), MODFORGE_MODULE_DIR (the generated
#   module directory), MODFORGE_COMPILE_COMMANDS.
# modforge_get_module_file(<target> <release or kernel dir> <var> [SYMVERS]) picks one kernel's.
include_guard(GLOBAL)

set(MODFORGE_KERNEL_DIR "" CACHE STRING "Kernel build trees modforge_add_kernel_module() builds for by default")
set(MODFORGE_JOBS "" CACHE STRING "modforge build -j for each module (empty: the number of cores)")
option(MODFORGE_EXPORT_COMPILE_COMMANDS "Merge the kernel modules' compile commands into compile_commands.json"
       ${CMAKE_EXPORT_COMPILE_COMMANDS})
option(MODFORGE_COMPILE_COMMANDS_CLANG "With MODFORGE_EXPORT_COMPILE_COMMANDS: clang's variant (modforge compdb --clang)" OFF)

# What `modforge build` picks without --kernel (kbuild/tree.cc's find_trees).
function(_modforge_default_kernel_dir out)
  execute_process(COMMAND uname -r OUTPUT_VARIABLE rel OUTPUT_STRIP_TRAILING_WHITESPACE)
  set(build "/lib/modules/${rel}/build")
  if(EXISTS "${build}/Makefile" AND EXISTS "${build}/include/config/auto.conf")
    set(${out} "${build}" PARENT_SCOPE)
    return()
  endif()
  file(GLOB dirs LIST_DIRECTORIES true /usr/src/linux-headers-*)
  set(trees)
  foreach(d IN LISTS dirs)
    if(NOT d MATCHES "-common" AND EXISTS "${d}/Makefile" AND EXISTS "${d}/include/config/auto.conf")
      list(APPEND trees "${d}")
    endif()
  endforeach()
  if(NOT trees)
    message(FATAL_ERROR "modforge: no kernel build tree: install linux-headers-amd64 or pass KERNEL_DIR")
  endif()
  list(SORT trees COMPARE NATURAL)
  list(GET trees -1 newest)
  set(${out} "${newest}" PARENT_SCOPE)
endfunction()

# The release a tree's kernel reports (UTS_RELEASE): the driver names its output directories so.
function(_modforge_tree_release dir out)
  set(uts "${dir}/include/generated/utsrelease.h")
  if(NOT EXISTS "${dir}/Makefile" OR NOT EXISTS "${dir}/include/config/auto.conf" OR NOT EXISTS "${uts}")
    message(FATAL_ERROR "modforge: ${dir} is not a configured kernel build tree")
  endif()
  file(STRINGS "${uts}" line REGEX "^#define UTS_RELEASE \"")
  string(REGEX REPLACE "^#define UTS_RELEASE \"([^\"]*)\".*" "\\1" rel "${line}")
  set(${out} "${rel}" PARENT_SCOPE)
endfunction()

# make's escapes for text written into the Kbuild.
function(_modforge_make_escape in out)
  string(REPLACE "$" "$$" s "${in}")
  string(REPLACE "#" "\\#" s "${s}")
  set(${out} "${s}" PARENT_SCOPE)
endfunction()

function(modforge_add_kernel_module name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "COMPILE_COMMANDS;CLANG;EXCLUDE_FROM_ALL" "KBUILD_FILE;JOBS"
                        "SOURCES;KERNEL_DIR;CFLAGS;DEFINES;INCLUDE_DIRECTORIES;DEPENDS;EXTRA_SYMBOLS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "modforge_add_kernel_module(${name}): unknown arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT name MATCHES "^[A-Za-z0-9_-]+$")
    message(FATAL_ERROR "modforge_add_kernel_module: '${name}' is not a module name")
  endif()
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "modforge_add_kernel_module(${name}): no SOURCES")
  endif()

  # The kernels, and the release each one's outputs are named by.
  set(kdirs ${arg_KERNEL_DIR})
  if(NOT kdirs)
    set(kdirs ${MODFORGE_KERNEL_DIR})
  endif()
  if(NOT kdirs)
    _modforge_default_kernel_dir(kdirs)
  endif()
  set(trees)
  set(releases)
  foreach(k IN LISTS kdirs)
    get_filename_component(k "${k}" REALPATH BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    _modforge_tree_release("${k}" rel)
    if(rel IN_LIST releases)
      message(FATAL_ERROR "modforge_add_kernel_module(${name}): two KERNEL_DIRs of release ${rel}")
    endif()
    list(APPEND trees "${k}")
    list(APPEND releases "${rel}")
  endforeach()

  set(base "${CMAKE_CURRENT_BINARY_DIR}/${name}")
  set(srcdir "${base}/src")
  set(stamp "${base}/build.stamp")
  set(depfile "${base}/deps.d")
  list(LENGTH trees ntrees)
  set(outdirs)
  set(kos)
  set(symvers)
  set(exports)
  set(publish)
  foreach(rel IN LISTS releases)
    list(APPEND outdirs "${base}/${rel}")
    list(APPEND kos "${base}/${rel}/${name}.ko")
    list(APPEND symvers "${base}/${rel}/Module.symvers")
    # What importers read: a copy of Module.symvers that changes only when its content does
    # (modpost writes Module.symvers on every run), so that an importer's modpost, and with
    # Ninja its whole step, runs again only for a changed CRC or export.
    list(APPEND exports "${base}/exports/${rel}/Module.symvers")
    file(MAKE_DIRECTORY "${base}/exports/${rel}")
    list(APPEND publish COMMAND "${CMAKE_COMMAND}" -E copy_if_different "${base}/${rel}/Module.symvers"
                                "${base}/exports/${rel}/Module.symvers")
  endforeach()
  if(ntrees EQUAL 1)
    set(outarg "${base}/${releases}")  # one tree: -O is the output directory itself
  else()
    set(outarg "${base}")              # several: -O/<release>
  endif()

  # The sources: linked into the module directory at their place relative to this source (or
  # binary) directory, as kbuild wants every object under M.  A source's own directory is
  # searched for its "..." includes (-iquote), as it would be in place.
  file(MAKE_DIRECTORY "${srcdir}")
  set(objects)
  set(links)
  set(quote_dirs)
  set(abs_sources)
  foreach(s IN LISTS arg_SOURCES)
    get_filename_component(abs "${s}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND abs_sources "${abs}")
    if(abs MATCHES "[ #$:]")
      message(FATAL_ERROR "modforge_add_kernel_module(${name}): kbuild cannot build ${abs} (blank, #, $ or :)")
    endif()
    get_filename_component(dir "${abs}" DIRECTORY)
    if(NOT dir IN_LIST quote_dirs)
      list(APPEND quote_dirs "${dir}")
    endif()
    set(header FALSE)
    if(NOT abs MATCHES "\\.(c|S)$")
      if(NOT abs MATCHES "\\.(h|hh|hpp|inc)$")
        message(FATAL_ERROR "modforge_add_kernel_module(${name}): ${s} is not a .c, .S or header file")
      endif()
      set(header TRUE)
    endif()
    cmake_path(IS_PREFIX CMAKE_CURRENT_SOURCE_DIR "${abs}" NORMALIZE in_src)
    cmake_path(IS_PREFIX CMAKE_CURRENT_BINARY_DIR "${abs}" NORMALIZE in_bin)
    if(in_src)
      file(RELATIVE_PATH rel_src "${CMAKE_CURRENT_SOURCE_DIR}" "${abs}")
    elseif(in_bin)
      file(RELATIVE_PATH rel_src "${CMAKE_CURRENT_BINARY_DIR}" "${abs}")
    elseif(header)
      continue()  # found through -iquote
    else()
      message(FATAL_ERROR "modforge_add_kernel_module(${name}): ${s} is outside ${CMAKE_CURRENT_SOURCE_DIR} "
                          "and ${CMAKE_CURRENT_BINARY_DIR}")
    endif()
    get_filename_component(link_dir "${srcdir}/${rel_src}" DIRECTORY)
    file(MAKE_DIRECTORY "${link_dir}")
    file(CREATE_LINK "${abs}" "${srcdir}/${rel_src}" SYMBOLIC)
    list(APPEND links "${srcdir}/${rel_src}")
    if(header)
      continue()
    endif()
    string(REGEX REPLACE "\\.(c|S)$" ".o" obj "${rel_src}")
    list(APPEND objects "${obj}")
  endforeach()
  if(NOT objects AND NOT arg_KBUILD_FILE)
    message(FATAL_ERROR "modforge_add_kernel_module(${name}): no .c or .S source")
  endif()
  # Links to sources no longer listed go (the driver's mirror drops its own links then too).
  file(GLOB_RECURSE old LIST_DIRECTORIES false "${srcdir}/*")
  foreach(f IN LISTS old)
    if(IS_SYMLINK "${f}" AND NOT f IN_LIST links)
      file(REMOVE "${f}")
    endif()
  endforeach()

  # The Kbuild.
  set(kb "# Generated by modforge_add_kernel_module(${name}) in ${CMAKE_CURRENT_LIST_FILE}: do not edit.\n")
  if(arg_KBUILD_FILE)
    get_filename_component(kbuild_file "${arg_KBUILD_FILE}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    string(APPEND kb "include ${kbuild_file}\n")
  else()
    string(APPEND kb "obj-m := ${name}.o\n")
    if(NOT objects STREQUAL "${name}.o")
      if("${name}.o" IN_LIST objects)
        message(FATAL_ERROR "modforge_add_kernel_module(${name}): kbuild cannot link ${name}.o into ${name}.ko "
                            "with other objects; rename ${name}.c")
      endif()
      list(JOIN objects " " objs)
      string(APPEND kb "${name}-y := ${objs}\n")
    endif()
  endif()
  set(cflags)
  set(aflags)
  foreach(f IN LISTS arg_CFLAGS)
    _modforge_make_escape("${f}" f)
    list(APPEND cflags "${f}")
  endforeach()
  foreach(d IN LISTS arg_DEFINES)
    _modforge_make_escape("-D${d}" d)
    list(APPEND cflags "${d}")
    list(APPEND aflags "${d}")
  endforeach()
  foreach(i IN LISTS arg_INCLUDE_DIRECTORIES)
    get_filename_component(i "${i}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND cflags "-I${i}")
    list(APPEND aflags "-I${i}")
  endforeach()
  foreach(q IN LISTS quote_dirs)
    list(APPEND cflags "-iquote ${q}")
    list(APPEND aflags "-iquote ${q}")
  endforeach()
  list(JOIN cflags " " cflags)
  list(JOIN aflags " " aflags)
  string(APPEND kb "ccflags-y += ${cflags}\n")
  string(APPEND kb "asflags-y += ${aflags}\n")

  # Imported symbols: an exporter's Module.symvers for the kernel this build is for (the
  # output directory is named by the release).  kbuild's modpost rule does not list
  # KBUILD_EXTRA_SYMBOLS as prerequisites (make M= keeps an importer's old CRCs when its
  # exporter's change); the Kbuild adds them (Makefile.modpost includes it), so that make
  # and the driver run modpost again then.
  set(dep_files)
  foreach(dep IN LISTS arg_DEPENDS)
    if(NOT TARGET "${dep}")
      message(FATAL_ERROR "modforge_add_kernel_module(${name}): DEPENDS ${dep}: no such target (define it first)")
    endif()
    get_target_property(dep_rels "${dep}" MODFORGE_KERNEL_RELEASES)
    get_target_property(dep_symvers "${dep}" MODFORGE_EXPORTED_SYMVERS_FILES)
    if(NOT dep_rels)
      message(FATAL_ERROR "modforge_add_kernel_module(${name}): DEPENDS ${dep} is not a modforge module")
    endif()
    foreach(rel IN LISTS releases)
      list(FIND dep_rels "${rel}" i)
      if(i LESS 0)
        message(FATAL_ERROR "modforge_add_kernel_module(${name}): ${dep} is not built for ${rel}")
      endif()
      list(GET dep_symvers ${i} f)
      list(APPEND dep_files "${f}")
      string(APPEND kb "ifeq ($(notdir $(KBUILD_EXTMOD)),${rel})\nKBUILD_EXTRA_SYMBOLS += ${f}\n"
                       "$(KBUILD_EXTMOD)/Module.symvers: ${f}\nendif\n")
    endforeach()
  endforeach()
  set(extra_symbols)
  foreach(f IN LISTS arg_EXTRA_SYMBOLS)
    get_filename_component(f "${f}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND extra_symbols "${f}")
    string(APPEND kb "KBUILD_EXTRA_SYMBOLS += ${f}\n$(KBUILD_EXTMOD)/Module.symvers: ${f}\n")
  endforeach()
  # Written at generate time, and only when its content changed (its mtime is an input).
  file(GENERATE OUTPUT "${srcdir}/Kbuild" CONTENT "${kb}")

  # The build.
  get_target_property(modforge modforge::modforge IMPORTED_LOCATION)
  set(cmd "${modforge}" build "${srcdir}")
  foreach(k IN LISTS trees)
    list(APPEND cmd --kernel "${k}")
  endforeach()
  list(APPEND cmd -O "${outarg}" --depfile "${depfile}" --depfile-target "${stamp}")
  set(jobs ${arg_JOBS})
  if(NOT jobs)
    set(jobs ${MODFORGE_JOBS})
  endif()
  if(jobs)
    list(APPEND cmd -j "${jobs}")
  endif()
  set(byproducts ${kos} ${symvers} ${exports})
  set(compdb_cmd)
  set(compdb "")
  if(arg_COMPILE_COMMANDS OR arg_CLANG OR MODFORGE_EXPORT_COMPILE_COMMANDS)
    # The first kernel's commands (clangd takes one per file), written beside the outputs.
    set(compdb "${base}/compile_commands.json")
    list(GET trees 0 k0)
    list(GET outdirs 0 o0)
    set(compdb_cmd COMMAND "${modforge}" compdb "${srcdir}" --kernel "${k0}" -O "${o0}" -o "${compdb}")
    if(arg_CLANG OR MODFORGE_COMPILE_COMMANDS_CLANG)
      list(APPEND compdb_cmd --clang)
    endif()
    list(APPEND byproducts "${compdb}")
  endif()
  list(JOIN releases ", " rel_text)
  add_custom_command(OUTPUT "${stamp}"
    BYPRODUCTS ${byproducts}
    COMMAND ${cmd}
    ${publish}
    ${compdb_cmd}
    COMMAND "${CMAKE_COMMAND}" -E touch "${stamp}"
    DEPFILE "${depfile}"
    DEPENDS ${abs_sources} "${srcdir}/Kbuild" ${kbuild_file} "${modforge}" ${dep_files} ${extra_symbols}
    WORKING_DIRECTORY "${base}"
    COMMENT "Building kernel module ${name}.ko for ${rel_text}"
    VERBATIM)
  set(all ALL)
  if(arg_EXCLUDE_FROM_ALL)
    set(all)
  endif()
  add_custom_target(${name} ${all} DEPENDS "${stamp}" SOURCES ${abs_sources})
  if(arg_DEPENDS)
    add_dependencies(${name} ${arg_DEPENDS})
  endif()
  set_target_properties(${name} PROPERTIES
    MODFORGE_KERNEL_DIRS "${trees}"
    MODFORGE_KERNEL_RELEASES "${releases}"
    MODFORGE_OUTPUT_DIRS "${outdirs}"
    MODFORGE_MODULE_FILES "${kos}"
    MODFORGE_SYMVERS_FILES "${symvers}"
    MODFORGE_EXPORTED_SYMVERS_FILES "${exports}"
    MODFORGE_MODULE_DIR "${srcdir}"
    MODFORGE_COMPILE_COMMANDS "${compdb}")
  set_property(DIRECTORY APPEND PROPERTY ADDITIONAL_CLEAN_FILES ${outdirs})
  if(compdb)
    _modforge_add_compile_commands(${name} "${compdb}" "${outdirs}")
  endif()
endfunction()

# One kernel's .ko (or Module.symvers with SYMVERS) of a module target; `kernel` is a release
# or a kernel directory.
function(modforge_get_module_file target kernel out)
  cmake_parse_arguments(PARSE_ARGV 3 arg "SYMVERS" "" "")
  get_target_property(rels ${target} MODFORGE_KERNEL_RELEASES)
  get_target_property(dirs ${target} MODFORGE_KERNEL_DIRS)
  list(FIND rels "${kernel}" i)
  if(i LESS 0)
    get_filename_component(k "${kernel}" REALPATH)
    list(FIND dirs "${k}" i)
  endif()
  if(i LESS 0)
    message(FATAL_ERROR "modforge_get_module_file: ${target} is not built for ${kernel}")
  endif()
  if(arg_SYMVERS)
    get_target_property(files ${target} MODFORGE_SYMVERS_FILES)
  else()
    get_target_property(files ${target} MODFORGE_MODULE_FILES)
  endif()
  list(GET files ${i} f)
  set(${out} "${f}" PARENT_SCOPE)
endfunction()

include("${CMAKE_CURRENT_LIST_DIR}/modforgeCompileCommands.cmake")
