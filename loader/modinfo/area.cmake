# loader/modinfo: kmod 30's modinfo (fields, parameters, signatures, name and alias lookups
# through the depmod indexes) and its stand-alone executable for the tests and the bench.
modforge_loader_area(modinfo modforge_loader_kmod)
find_package(Threads REQUIRED)
target_link_libraries(modforge_loader_modinfo PUBLIC Threads::Threads)
add_executable(modforge-modinfo ${CMAKE_CURRENT_SOURCE_DIR}/modinfo/main.cc)
target_link_libraries(modforge-modinfo PRIVATE modforge_loader_modinfo)
# Started once per run: a static binary maps less and starts faster (as modpost does).
target_link_options(modforge-modinfo PRIVATE -static)
