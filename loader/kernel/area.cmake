# The emulated kernel: target description, load_module/delete_module, parameters, module
# states and the saved state file; loader-replay replays a corpus batch (tests/corpus).
if(TARGET modforge_loader_layout)
  modforge_loader_area(kernel modforge_loader_kmod modforge_loader_layout)
else()
  message(FATAL_ERROR "loader/kernel needs loader/layout (the /proc/modules size)")
endif()
add_executable(loader-replay ${CMAKE_CURRENT_LIST_DIR}/main_replay.cc)
target_link_libraries(loader-replay PRIVATE modforge_loader_kernel)
add_executable(loader-load-all ${CMAKE_CURRENT_LIST_DIR}/main_load_all.cc)
target_link_libraries(loader-load-all PRIVATE modforge_loader_kernel)
