# The emulated kernel: target description, load_module/delete_module, parameters, module
# states and the saved state file.  (Its test harness, loader-replay and loader-load-all,
# is in tests/loader-harness/.)
if(TARGET modforge_loader_layout)
  modforge_loader_area(kernel modforge_loader_kmod modforge_loader_layout)
else()
  message(FATAL_ERROR "loader/kernel needs loader/layout (the /proc/modules size)")
endif()
