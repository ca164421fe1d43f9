# The libFuzzer targets compiled as plain executables by the normal test build (g++, ASan/UBSan
# when SMIMEGW_SANITIZE): fuzz_<t>.cpp + replay_main.cpp instead of libFuzzer, and one ctest
# `fuzz.replay.<t>` per target replaying tests/fuzz/regressions/<t>/ and the seed inputs
# scripts/fuzz.sh starts from (tests/fixtures, the shared Thunderbird corpus). Included from
# tests/CMakeLists.txt; the clang/libFuzzer build stays in tests/fuzz/CMakeLists.txt.
set(fuzz_dir ${PROJECT_SOURCE_DIR}/tests/fuzz)
set(tb ${PROJECT_SOURCE_DIR}/../shared/corpus/thunderbird-comm-central)
set(replay_args_cms_decoder --der-from-mime ${tb}/smime ${tb}/smime-interop)
set(replay_args_pkcs12 ${PROJECT_SOURCE_DIR}/tests/fixtures/pkcs12 ${tb}/smime-interop)
set(replay_args_mime_parser ${PROJECT_SOURCE_DIR}/tests/fixtures/mime ${tb}/smime)
set(replay_args_smime_inspect ${PROJECT_SOURCE_DIR}/tests/fixtures/mime ${tb}/smime)
set(replay_libs_cms_decoder smimegw_smime)
set(replay_libs_pkcs12 smimegw_smime)
set(replay_libs_mime_parser smimegw_smime)
set(replay_libs_smime_inspect smimegw_smime)
set(replay_targets cms_decoder pkcs12 mime_parser smime_inspect)
# A target another issue adds (e.g. msip_labels) joins with: list(APPEND replay_targets NAME),
# set(replay_libs_NAME its_library) and, optionally, replay_args_NAME (seed paths).
foreach(t ${replay_targets})
  add_executable(replay_${t} ${fuzz_dir}/fuzz_${t}.cpp ${fuzz_dir}/replay_main.cpp)
  target_link_libraries(replay_${t} PRIVATE ${replay_libs_${t}} PkgConfig::BOTAN)
  file(MAKE_DIRECTORY ${fuzz_dir}/regressions/${t})
  add_test(NAME fuzz.replay.${t}
           COMMAND replay_${t} ${fuzz_dir}/regressions/${t} ${replay_args_${t}})
  set_tests_properties(fuzz.replay.${t} PROPERTIES TIMEOUT 300)
endforeach()
