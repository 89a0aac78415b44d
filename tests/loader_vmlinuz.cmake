# The kernel image reader (core/bzimage.h, loader/kernel/vmlinux_image.h): vmlinux's exports
# read from Debian's vmlinuz (6.1: xz, 6.12: zstd) against the vmlinux lines of the headers
# packages' Module.symvers, the built-in certificates through openssl and kmod's modinfo, and
# the emulated kernel on an unpacked image package (exports and CRCs from its vmlinuz).
add_executable(dump-vmlinux-exports ${CMAKE_CURRENT_SOURCE_DIR}/tools/dump-vmlinux-exports.cc)
target_link_libraries(dump-vmlinux-exports PRIVATE modforge_loader_kernel Boost::program_options)
add_test(NAME abi_vmlinuz_exports
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/abi_vmlinuz_exports.sh $<TARGET_FILE:dump-vmlinux-exports>
          $<TARGET_FILE:modforge-kmod> $<TARGET_FILE:ko-mutate> ${PROJECT_SOURCE_DIR})
set_tests_properties(abi_vmlinuz_exports PROPERTIES LABELS abi TIMEOUT 300)
