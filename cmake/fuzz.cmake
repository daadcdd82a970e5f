# libFuzzer targets for every parser of outside input (issue 16): one
# executable per fuzz/<name>_fuzz.cpp, each defining LLVMFuzzerTestOneInput.
# scripts/fuzz.sh configures build-fuzz with -DPINGAN_FUZZ=ON and clang++-14,
# builds the targets and runs each for a bounded time.
#
# The library is compiled with coverage instrumentation for the fuzzer
# (fuzzer-no-link) and with ASan and UBSan; the targets link libFuzzer's
# main. UBSan aborts on the first report (-fno-sanitize-recover=all), so that
# undefined behaviour is a crash libFuzzer keeps a reproducer of rather than a
# line in a log nobody reads.
#
# Only the fuzz targets (`ninja pingan_fuzz`) are meant to be built in such a
# tree: the CLI, tests and benchmarks link the sanitizer runtimes too but are
# not what it is for.

option(PINGAN_FUZZ "Build the libFuzzer targets of fuzz/ (clang only)" OFF)

if(PINGAN_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "PINGAN_FUZZ needs clang (libFuzzer); configure with -DCMAKE_CXX_COMPILER=clang++-14")
  endif()
  if(PINGAN_SANITIZE)
    message(FATAL_ERROR "PINGAN_FUZZ brings its own sanitizers; leave PINGAN_SANITIZE off")
  endif()

  # -O1 with line tables only, the sanitizers' usual setting: it builds in
  # far less time than -O2 -g1 on CI's two cores, and the build is most of
  # what scripts/fuzz.sh costs in the test command.
  set(CMAKE_CXX_FLAGS_RELWITHDEBINFO "-O1 -gline-tables-only")
  set(CMAKE_C_FLAGS_RELWITHDEBINFO "-O1 -gline-tables-only")

  set(PINGAN_FUZZ_SANITIZERS address,undefined)
  # -fno-sanitize=function: clang 14 emits assembly it cannot assemble
  # ("Cannot represent a difference across sections") for that check in C++20
  # coroutines (the server's Asio code). It checks calls through function
  # pointers of the wrong type, which the parsers do not make.
  set(PINGAN_FUZZ_COMMON_FLAGS -fno-sanitize=function -fno-sanitize-recover=all -fno-omit-frame-pointer)

  target_compile_options(pingan_lib PRIVATE
    -fsanitize=fuzzer-no-link,${PINGAN_FUZZ_SANITIZERS} ${PINGAN_FUZZ_COMMON_FLAGS})
  # Whatever links the instrumented library needs the sanitizer runtimes.
  target_link_options(pingan_lib INTERFACE -fsanitize=${PINGAN_FUZZ_SANITIZERS})

  add_custom_target(pingan_fuzz)
  file(GLOB PINGAN_FUZZ_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/fuzz/*_fuzz.cpp)
  foreach(fuzz_src ${PINGAN_FUZZ_SOURCES})
    get_filename_component(fuzz_name ${fuzz_src} NAME_WE)  # e.g. csv_reader_fuzz
    add_executable(${fuzz_name} ${fuzz_src})
    target_include_directories(${fuzz_name} PRIVATE ${CMAKE_SOURCE_DIR}/fuzz)
    target_compile_options(${fuzz_name} PRIVATE
      -fsanitize=fuzzer,${PINGAN_FUZZ_SANITIZERS} ${PINGAN_FUZZ_COMMON_FLAGS})
    target_link_options(${fuzz_name} PRIVATE -fsanitize=fuzzer,${PINGAN_FUZZ_SANITIZERS})
    target_link_libraries(${fuzz_name} PRIVATE pingan_lib)
    add_dependencies(pingan_fuzz ${fuzz_name})
  endforeach()
endif()
