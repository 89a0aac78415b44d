# depmod over both whole shipped trees, ours against the real kmod 30 depmod (every file,
# messages, exit code); prints "N/N files identical" per tree.
add_test(NAME loader_depmod_trees
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/depmod_trees.sh $<TARGET_FILE:modforge-depmod>
          6.1.0-56-amd64 6.12.117+deb12-amd64)
set_tests_properties(loader_depmod_trees PROPERTIES LABELS "loader;depmod" TIMEOUT 300)
