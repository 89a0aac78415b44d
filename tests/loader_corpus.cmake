# The loader's real-kernel corpus (tests/corpus/loader-<ver>.tar.xz, made by
# tests/corpus/make-loader-corpus.sh) and the qemu tier of fresh random mutations.

# ko-mutate: damaged copies of built modules (tests/tools/ko-mutate.cc), used by the
# corpus script and the random tier.
add_executable(ko-mutate ${CMAKE_CURRENT_SOURCE_DIR}/tools/ko-mutate.cc)
target_link_libraries(ko-mutate PRIVATE modforge_elf)

# Both replay through the emulated kernel's test harness, loader-replay
# (tests/loader-harness/); the scripts name the oracle cache's shipped modules to it.
# Every batch of the stored corpus, replayed in the emulator and compared step by step
# with what the real kernel answered.
foreach(ver 6.1 6.12)
  add_test(NAME loader_corpus_${ver}
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/corpus/loader-tools/replay-corpus.sh
            $<TARGET_FILE:loader-replay> ${ver} ${CMAKE_CURRENT_SOURCE_DIR}/corpus/loader-${ver}.tar.xz)
  set_tests_properties(loader_corpus_${ver} PROPERTIES LABELS loader TIMEOUT 600)
endforeach()
# Mutations generated afresh (random seed, printed; SEED=... reproduces) from modules
# built now with the real kbuild, asked of the real kernels under qemu.
add_test(NAME kernel_loader_random
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/kernel_loader_random.sh
          $<TARGET_FILE:loader-replay> $<TARGET_FILE:ko-mutate> ${PROJECT_SOURCE_DIR})
# The same fresh mutations through `modforge check load` (MODFORGE): its first reason is the
# real kernel's (tests/abi/first_reason.py).
set_tests_properties(kernel_loader_random PROPERTIES LABELS qemu TIMEOUT 900 RUN_SERIAL TRUE
                     ENVIRONMENT MODFORGE=$<TARGET_FILE:modforge>)
