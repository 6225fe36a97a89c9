# The instruction set Tern is compiled for. Default: x86-64-v3 (AVX2, BMI2, LZCNT: Haswell, 2013,
# and later) when the building machine can run it, because the order book's searches and the
# decimal parser vectorise with it (docs/performance.md has the figures). Tern is built where it
# runs, so the check runs a probe on this machine; anything else keeps the portable baseline.
#   -DTERN_ARCH=native     tune for this machine
#   -DTERN_ARCH=           portable x86-64 (or any other processor)
include(CheckCXXSourceRuns)

if(NOT DEFINED TERN_ARCH)
  set(tern_default_arch "")
  if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
    set(CMAKE_REQUIRED_FLAGS "-march=x86-64-v3")
    check_cxx_source_runs(
      "int main() { __builtin_cpu_init(); return __builtin_cpu_supports(\"x86-64-v3\") ? 0 : 1; }"
      TERN_CPU_RUNS_X86_64_V3)
    unset(CMAKE_REQUIRED_FLAGS)
    if(TERN_CPU_RUNS_X86_64_V3)
      set(tern_default_arch "x86-64-v3")
    endif()
  endif()
  set(TERN_ARCH "${tern_default_arch}" CACHE STRING "Value for -march (empty: compiler default)")
endif()

if(TERN_ARCH)
  add_compile_options(-march=${TERN_ARCH})
endif()
message(STATUS "Tern instruction set: ${TERN_ARCH}")
