# Writes a header holding templates/kbuild-eval.mk as a string.
file(READ ${INPUT} text)
file(WRITE ${OUT}.new "// Generated from templates/kbuild-eval.mk; do not edit.\n#pragma once\n#include <string_view>\nnamespace modforge::kbuild {\ninline constexpr std::string_view kEvalMk = R\"mf_mk(${text})mf_mk\";\n}\n")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUT}.new ${OUT})
