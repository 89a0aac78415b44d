# `modforge check load` (abi/): its tests, included by tests/CMakeLists.txt.
# The loader corpus' real-kernel answers, step by step (tests/abi/first_reason.py).
add_test(NAME abi_corpus_first_reason
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/abi/corpus_first_reason.sh $<TARGET_FILE:modforge> ${PROJECT_SOURCE_DIR})
set_tests_properties(abi_corpus_first_reason PROPERTIES LABELS abi TIMEOUT 600)
# The command's contract: exit codes, the four formats agreeing, -o, bad input.
add_test(NAME abi_check_cli COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/abi/check_cli.py $<TARGET_FILE:modforge>)
set_tests_properties(abi_check_cli PROPERTIES LABELS abi TIMEOUT 300)
