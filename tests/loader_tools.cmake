# The kmod-style commands of modforge-kmod on a saved state against the real kmod tools in
# the real kernels under qemu, modprobe over a real depmod's index, state-file safety.
add_test(NAME loader_cli COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/loader_cli.sh $<TARGET_FILE:modforge-kmod> ${PROJECT_SOURCE_DIR})
set_tests_properties(loader_cli PROPERTIES LABELS qemu TIMEOUT 900 RUN_SERIAL TRUE)
