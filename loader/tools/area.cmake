# loader/tools: modprobe's lookup and probe logic (modforge_loader_tools, needing no
# kernel), and over the emulated kernel the kmod-style commands (modforge_loader_commands)
# and the multi-call binary modforge-kmod with its command links.
set(dir ${CMAKE_CURRENT_SOURCE_DIR}/tools)
add_library(modforge_loader_tools STATIC ${dir}/module_db.cc ${dir}/modprobe_config.cc ${dir}/modprobe.cc)
target_link_libraries(modforge_loader_tools PUBLIC modforge_loader_kmod)
if(NOT TARGET modforge_loader_kernel)
  message(STATUS "loader/tools: the emulated kernel is not built; commands left out")
  return()
endif()
# one file per command (insmod.cc, rmmod.cc, lsmod.cc, modprobe_session.cc) over session.cc
add_library(modforge_loader_commands STATIC ${dir}/session.cc ${dir}/insmod.cc ${dir}/rmmod.cc ${dir}/lsmod.cc
            ${dir}/modprobe_session.cc)
target_link_libraries(modforge_loader_commands PUBLIC modforge_loader_tools modforge_loader_kernel)
add_executable(modforge-kmod ${dir}/main.cc)
target_link_libraries(modforge-kmod PRIVATE modforge_loader_commands)
foreach(area depmod modinfo)
  if(TARGET modforge_loader_${area})
    string(TOUPPER ${area} AREA)
    target_link_libraries(modforge-kmod PRIVATE modforge_loader_${area})
    target_compile_definitions(modforge-kmod PRIVATE MODFORGE_HAVE_${AREA}=1)
  endif()
endforeach()
# build/loader/bin/<command> -> ../modforge-kmod, so the commands can be put on PATH
add_custom_command(TARGET modforge-kmod POST_BUILD
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/bin)
foreach(cmd insmod rmmod lsmod modprobe depmod modinfo)
  add_custom_command(TARGET modforge-kmod POST_BUILD
    COMMAND ${CMAKE_COMMAND} -E create_symlink ../modforge-kmod ${CMAKE_CURRENT_BINARY_DIR}/bin/${cmd})
endforeach()
