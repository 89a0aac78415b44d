# Whole-kernel symtypes generation (abi/symtypes_gen.h) against Debian's Module.symvers.
add_executable(symtypes-gen ${CMAKE_CURRENT_SOURCE_DIR}/tools/symtypes-gen.cc)
target_link_libraries(symtypes-gen PRIVATE modforge_abi_symtypes_gen Boost::program_options)
