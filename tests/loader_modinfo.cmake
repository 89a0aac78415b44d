# modinfo (loader/modinfo) against kmod's /sbin/modinfo: every shipped module of both Debian
# trees, then option, lookup, signature and bad-input cases.
add_test(NAME loader_modinfo_trees
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/modinfo_trees.sh $<TARGET_FILE:modforge-modinfo>)
set_tests_properties(loader_modinfo_trees PROPERTIES LABELS loader TIMEOUT 600)
add_test(NAME loader_modinfo_cases
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/modinfo_cases.sh $<TARGET_FILE:modforge-modinfo>)
set_tests_properties(loader_modinfo_cases PROPERTIES LABELS loader TIMEOUT 600)
