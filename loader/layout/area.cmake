# The /proc/modules size from the kernel's section layout rules; layout-sizes prints it for
# .ko files (used by tests/corpus/make-layout-corpus.sh to pick its sample).
modforge_loader_area(layout modforge_loader_kmod)
add_executable(layout-sizes ${CMAKE_CURRENT_LIST_DIR}/main.cc)
target_link_libraries(layout-sizes PRIVATE modforge_loader_layout)
