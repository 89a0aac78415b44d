# `modforge check load` (abi/): its tests, included by tests/CMakeLists.txt.
# The loader corpus' real-kernel answers, step by step (tests/abi/first_reason.py).
add_test(NAME abi_corpus_first_reason
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/abi/corpus_first_reason.sh $<TARGET_FILE:modforge> ${PROJECT_SOURCE_DIR})
set_tests_properties(abi_corpus_first_reason PROPERTIES LABELS abi TIMEOUT 600)
# The command's contract: exit codes, the four formats agreeing, -o, bad input.
add_test(NAME abi_check_cli COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/abi/check_cli.py $<TARGET_FILE:modforge>)
set_tests_properties(abi_check_cli PROPERTIES LABELS abi TIMEOUT 300)
# The symtypes model and the explanation of CRC changes (abi/symtypes_model.h, type_crc.h,
# type_diff.h), against the real genksyms: tests/abi/test_symtypes_*.cc.
add_executable(modforge_symtypes_tests ${PROJECT_SOURCE_DIR}/tests/support.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/abi/test_symtypes_model.cc ${CMAKE_CURRENT_SOURCE_DIR}/abi/test_symtypes_diff.cc)
target_compile_definitions(modforge_symtypes_tests PRIVATE MODFORGE_SOURCE_DIR="${PROJECT_SOURCE_DIR}" MODFORGE_BUILD_DIR="${CMAKE_BINARY_DIR}")
target_link_libraries(modforge_symtypes_tests PRIVATE modforge_symtypes modforge_genksyms GTest::gtest GTest::gtest_main)
gtest_discover_tests(modforge_symtypes_tests DISCOVERY_TIMEOUT 60 TEST_PREFIX "abi."
  PROPERTIES LABELS abi FIXTURES_REQUIRED corpus ENVIRONMENT "MODFORGE_CORPUS=${CORPUS_OUT}")
# Debian's real 6.12.117 -> 6.12.118 and 6.1.0-54 -> 6.1.0-55: symtypes from the real kbuild of
# both builds, every CRC recomputed equal to Module.symvers, every CRC change explained.
add_executable(symtypes_explain_driver ${CMAKE_CURRENT_SOURCE_DIR}/abi/symtypes_explain_driver.cc)
target_link_libraries(symtypes_explain_driver PRIVATE modforge_symtypes)
foreach(v 6.12 6.1)
  add_test(NAME abi_symtypes_history_${v}
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/abi/symtypes_history.sh $<TARGET_FILE:symtypes_explain_driver> ${PROJECT_SOURCE_DIR} ${v})
  set_tests_properties(abi_symtypes_history_${v} PROPERTIES LABELS abi TIMEOUT 900)
endforeach()
# `modforge check abi` on Debian's real pairs (6.12.117 -> 6.12.118, 6.1.0-54 -> 6.1.0-55): its
# counts against awk's over the two Module.symvers, trees and .deb packages alike, exit codes.
add_test(NAME abi_check_abi_real
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/abi_check_abi_real.sh $<TARGET_FILE:modforge> ${PROJECT_SOURCE_DIR})
set_tests_properties(abi_check_abi_real PROPERTIES LABELS abi TIMEOUT 300)
# check abi's break policy and every waiver format on a crafted Module.symvers pair.
add_test(NAME abi_check_abi_waivers COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/abi/check_abi_waivers.sh $<TARGET_FILE:modforge>)
set_tests_properties(abi_check_abi_waivers PROPERTIES LABELS abi TIMEOUT 120)
# check abi's parsers (waiver formats, wildcards, the Module.symvers comparison): GoogleTest.
add_executable(modforge_abi_tests ${CMAKE_CURRENT_SOURCE_DIR}/abi/test_abi_waivers.cc ${CMAKE_CURRENT_SOURCE_DIR}/abi/test_abi_reports.cc)
target_compile_options(modforge_abi_tests PRIVATE -Wno-missing-field-initializers)  # designated initializers name what they set
target_link_libraries(modforge_abi_tests PRIVATE modforge_abi GTest::gtest GTest::gtest_main)
gtest_discover_tests(modforge_abi_tests DISCOVERY_TIMEOUT 60 TEST_PREFIX "abi." PROPERTIES LABELS abi)
# check abi's waiver parsers under libFuzzer, 30 s on the seeds (fuzz/run.sh; the fuzz build is shared).
add_test(NAME fuzz_abi_waivers_smoke COMMAND bash ${PROJECT_SOURCE_DIR}/fuzz/run.sh 30 abi_waivers)
set_tests_properties(fuzz_abi_waivers_smoke PROPERTIES LABELS abi TIMEOUT 900 RESOURCE_LOCK fuzz_build)
# check abi with the whole-kernel symtypes stored in tests/corpus/abi-symtypes/ (issue 14):
# every CRC change of Debian's pairs explained, and nothing else reported.
add_test(NAME abi_check_abi_symtypes
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/abi_check_abi_symtypes.sh $<TARGET_FILE:modforge> ${PROJECT_SOURCE_DIR})
set_tests_properties(abi_check_abi_symtypes PROPERTIES LABELS abi TIMEOUT 300)
