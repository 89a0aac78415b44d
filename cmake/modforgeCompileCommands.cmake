# The kernel modules' compile commands in ${CMAKE_BINARY_DIR}/compile_commands.json, for
# clangd, clang-tidy and the IDEs that read it (VS Code's clangd and C/C++ extensions, CLion's
# compilation-database projects).
#
# Each module built with COMPILE_COMMANDS (or MODFORGE_EXPORT_COMPILE_COMMANDS) runs
# `modforge compdb` after its build: the kernel's real commands (kbuild's flags, the tree's
# objtree as directory; `--clang` without the GCC-only flags) for its first kernel.  One
# target, modforge_compile_commands (in ALL), merges them into ${CMAKE_BINARY_DIR}/
# compile_commands.json: with CMAKE_EXPORT_COMPILE_COMMANDS on, beside CMake's own entries
# (CMake rewrites the file when it regenerates; the merge then runs again).  Each entry's
# "file" is the real source (the driver compiles it through a link in the output directory),
# so an editor opening the source finds its command.
#
# Included by modforgeKernelModule.cmake; run with -P it is the merge itself:
#   cmake -DINPUTS=<file listing the modules' compile_commands.json> -DOUTPUT=<json>
#         -DSTAMP=<file> -P modforgeCompileCommands.cmake

if(CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
  function(_json_escape in out)
    string(REPLACE "\\" "\\\\" s "${in}")
    string(REPLACE "\"" "\\\"" s "${s}")
    set(${out} "\"${s}\"" PARENT_SCOPE)
  endfunction()
  file(STRINGS "${INPUTS}" compdbs)
  set(bases)
  foreach(c IN LISTS compdbs)
    get_filename_component(b "${c}" DIRECTORY)
    list(APPEND bases "${b}/")
  endforeach()
  set(body "")
  set(sep "")
  # What is there already (CMake's own entries, or an earlier merge): every entry but ours.
  if(EXISTS "${OUTPUT}")
    file(READ "${OUTPUT}" json)
    string(JSON n ERROR_VARIABLE err LENGTH "${json}")
    if(NOT err AND n GREATER 0)
      math(EXPR last "${n} - 1")
      foreach(i RANGE ${last})
        string(JSON out ERROR_VARIABLE e GET "${json}" ${i} output)
        set(ours FALSE)
        foreach(b IN LISTS bases)
          string(FIND "${out}" "${b}" at)
          if(at EQUAL 0)
            set(ours TRUE)
          endif()
        endforeach()
        if(NOT ours)
          string(JSON obj GET "${json}" ${i})
          string(APPEND body "${sep}${obj}")
          set(sep ",\n")
        endif()
      endforeach()
    endif()
  endif()
  foreach(c IN LISTS compdbs)
    if(NOT EXISTS "${c}")
      continue()
    endif()
    file(READ "${c}" json)
    string(JSON n LENGTH "${json}")
    if(n EQUAL 0)
      continue()
    endif()
    math(EXPR last "${n} - 1")
    foreach(i RANGE ${last})
      string(JSON obj GET "${json}" ${i})
      string(JSON f GET "${obj}" file)
      if(IS_SYMLINK "${f}")
        file(REAL_PATH "${f}" real)
        string(JSON cmd GET "${obj}" command)
        string(REPLACE " ${f}" " ${real}" cmd "${cmd}")
        _json_escape("${real}" real_json)
        _json_escape("${cmd}" cmd_json)
        string(JSON obj SET "${obj}" file "${real_json}")
        string(JSON obj SET "${obj}" command "${cmd_json}")
      endif()
      string(APPEND body "${sep}${obj}")
      set(sep ",\n")
    endforeach()
  endforeach()
  file(WRITE "${OUTPUT}.tmp" "[\n${body}\n]\n")
  file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
  file(REMOVE "${OUTPUT}.tmp")
  file(TOUCH "${STAMP}")
  return()
endif()

include_guard(GLOBAL)
set_property(GLOBAL PROPERTY MODFORGE_COMPDB_SCRIPT "${CMAKE_CURRENT_LIST_FILE}")

# Records a module's compile_commands.json; the merge target is made once, at the end of the
# top-level directory, when every module is known.
function(_modforge_add_compile_commands target compdb outdirs)
  set_property(GLOBAL APPEND PROPERTY MODFORGE_COMPDB_FILES "${compdb}")
  set_property(GLOBAL APPEND PROPERTY MODFORGE_COMPDB_TARGETS "${target}")
  get_property(deferred GLOBAL PROPERTY MODFORGE_COMPDB_DEFERRED)
  if(NOT deferred)
    set_property(GLOBAL PROPERTY MODFORGE_COMPDB_DEFERRED TRUE)
    cmake_language(DEFER DIRECTORY "${CMAKE_SOURCE_DIR}" CALL _modforge_compile_commands_target)
  endif()
endfunction()

function(_modforge_compile_commands_target)
  get_property(files GLOBAL PROPERTY MODFORGE_COMPDB_FILES)
  get_property(targets GLOBAL PROPERTY MODFORGE_COMPDB_TARGETS)
  get_property(script GLOBAL PROPERTY MODFORGE_COMPDB_SCRIPT)
  set(dir "${CMAKE_BINARY_DIR}/CMakeFiles/modforge")
  list(JOIN files "\n" text)
  file(GENERATE OUTPUT "${dir}/compile_commands.inputs" CONTENT "${text}\n")
  set(out "${CMAKE_BINARY_DIR}/compile_commands.json")
  set(stamp "${dir}/compile_commands.stamp")
  set(depends ${files} "${dir}/compile_commands.inputs" "${script}")
  set(byproducts)
  if(CMAKE_EXPORT_COMPILE_COMMANDS)
    list(APPEND depends "${out}")  # CMake's own, rewritten when it regenerates
  else()
    set(byproducts "${out}")
  endif()
  add_custom_command(OUTPUT "${stamp}"
    BYPRODUCTS ${byproducts}
    COMMAND "${CMAKE_COMMAND}" -DINPUTS=${dir}/compile_commands.inputs -DOUTPUT=${out} -DSTAMP=${stamp} -P "${script}"
    DEPENDS ${depends}
    COMMENT "Merging the kernel modules' compile commands into ${out}"
    VERBATIM)
  add_custom_target(modforge_compile_commands ALL DEPENDS "${stamp}")
  add_dependencies(modforge_compile_commands ${targets})
endfunction()
