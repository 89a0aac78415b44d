# The emulated kernel over the two Debian module trees: every shipped module loaded into an
# emulated kernel of its own release, each after its dependencies in the order of the
# modules.dep that the real depmod (kmod 30) writes for the tree.  The test prints
# "N/M loaded" and fails on any refusal by the loader's checks.
foreach(rel 6.1.0-56-amd64 6.12.117+deb12-amd64)
  string(REGEX MATCH "^6\\.[0-9]+" ver ${rel})
  set(root $ENV{HOME}/.cache/modforge-oracle/${rel})
  add_test(NAME loader_kernel_load_all_${ver}
    COMMAND sh -c "set -e; test -d '${root}/lib/modules/${rel}'; dep=$(mktemp); trap 'rm -f $dep' EXIT; /sbin/depmod -n -b '${root}' -F '${root}/boot/System.map-${rel}' ${rel} > $dep; $<TARGET_FILE:loader-load-all> --kernel ${ver} --target /usr/src/linux-headers-${rel} --modules '${root}/lib/modules/${rel}' --dep $dep")
  set_tests_properties(loader_kernel_load_all_${ver} PROPERTIES LABELS loader TIMEOUT 300)
endforeach()
