# Warnings and defaults shared by every Tern target.
add_library(tern_warnings INTERFACE)
target_compile_options(tern_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough
  # GCC 12 reports std::string's operator+ on a literal as overlapping memcpy (GCC bug 105329).
  -Wno-restrict)

# tern_add_library(NAME SOURCES ... DEPENDS ...): one static library per folder of the shape.
function(tern_add_library name)
  cmake_parse_arguments(arg "" "" "SOURCES;DEPENDS;PRIVATE_DEPENDS" ${ARGN})
  add_library(${name} STATIC ${arg_SOURCES})
  target_include_directories(${name} PUBLIC "${PROJECT_SOURCE_DIR}")
  target_link_libraries(${name} PUBLIC ${arg_DEPENDS} PRIVATE tern_warnings ${arg_PRIVATE_DEPENDS})
endfunction()

# tern_add_test(NAME SOURCES ... DEPENDS ...): one Catch2 executable, one ctest entry per TEST_CASE.
function(tern_add_test name)
  # SERIAL: the cases run alone (ctest RUN_SERIAL), for tests whose deadlines a loaded machine
  # would otherwise miss (fault injection with reconnects and reconciliation rounds).
  cmake_parse_arguments(arg "SERIAL" "" "SOURCES;DEPENDS" ${ARGN})
  add_executable(${name} ${arg_SOURCES})
  target_link_libraries(${name} PRIVATE ${arg_DEPENDS} tern_warnings Catch2::Catch2WithMain)
  target_compile_definitions(${name} PRIVATE
    TERN_SHARED_DIR="${TERN_SHARED_DIR}"
    TERN_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    TERN_BINARY_DIR="${PROJECT_BINARY_DIR}")
  if(TARGET tern_test_pch)
    target_precompile_headers(${name} REUSE_FROM tern_test_pch)
  endif()
  set(serial FALSE)
  if(arg_SERIAL)
    set(serial TRUE)
  endif()
  catch_discover_tests(${name} TEST_PREFIX "${name}: " PROPERTIES TIMEOUT 300 RUN_SERIAL ${serial})
endfunction()
