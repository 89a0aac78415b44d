# The kmod-style commands of modforge-kmod on a saved state against the real kmod tools in
# the real kernels under qemu, modprobe over a real depmod's index, state-file safety.
add_test(NAME loader_cli COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/loader_cli.sh $<TARGET_FILE:modforge-kmod> ${PROJECT_SOURCE_DIR})
set_tests_properties(loader_cli PROPERTIES LABELS qemu TIMEOUT 900 RUN_SERIAL TRUE)
# The commands' command lines against kmod 30's own binaries (help, version, getopt's
# errors, with and without a target), the session options in any order, and a target
# without symbol information refused in one line.
add_test(NAME loader_commands_cli COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/loader_commands_cli.sh $<TARGET_FILE:modforge-kmod>)
set_tests_properties(loader_commands_cli PROPERTIES LABELS loader TIMEOUT 300)
# 40 insmods at once on one state, then 20 rmmods at once: exactly the serial result.
add_test(NAME loader_state_burst COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/loader_state_burst.sh $<TARGET_FILE:modforge-kmod>)
set_tests_properties(loader_state_burst PROPERTIES LABELS loader TIMEOUT 300)
