# Whole-kernel symtypes generation (abi/symtypes_gen.h) against Debian's Module.symvers.
add_executable(symtypes-gen ${CMAKE_CURRENT_SOURCE_DIR}/tools/symtypes-gen.cc)
target_link_libraries(symtypes-gen PRIVATE modforge_abi_symtypes_gen Boost::program_options)
# Every CRC of 6.1.190 (linux-headers-6.1.0-54) from its source equal to Debian's
# Module.symvers, through `modforge symtypes --source/--kernel` (about 3 minutes on 2 cores:
# the preprocessor over ~3,650 objects).  6.12.117, 6.12.118 and 6.1.192 pass too, given as
# arguments (3 to 4 minutes each); CI runs the shortest.
add_test(NAME abi_symtypes_whole_kernel
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/abi_symtypes_whole_kernel.sh $<TARGET_FILE:modforge> ${PROJECT_SOURCE_DIR} 6.1.190)
set_tests_properties(abi_symtypes_whole_kernel PROPERTIES LABELS abi TIMEOUT 1800 RUN_SERIAL TRUE)
# Its parsers' libFuzzer target (fuzz/symtypes_gen_fuzz.cc) survives 30 s on its seeds.
add_test(NAME fuzz_symtypes_gen_smoke COMMAND bash ${PROJECT_SOURCE_DIR}/fuzz/run.sh 30 symtypes_gen)
set_tests_properties(fuzz_symtypes_gen_smoke PROPERTIES TIMEOUT 900 RESOURCE_LOCK fuzz_build)
