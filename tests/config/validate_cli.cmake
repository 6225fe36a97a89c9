# Runs `tern` with ARGS ("|"-separated) in DIR and checks its exit code against EXPECTED_EXIT.
# When FILE is given it is appended to ARGS; with EXPECTED_EXIT 0, stdout must then start with
# "FILE: ok (". When EXPECTED is given, stderr must be exactly that file's text: every expected
# error with its pointer, and nothing else.
#   cmake -DTERN=... -DDIR=... -DARGS=validate -DFILE=... -DEXPECTED_EXIT=1 [-DEXPECTED=...] -P validate_cli.cmake
string(REPLACE "|" ";" args "${ARGS}")
if(DEFINED FILE)
  list(APPEND args "${FILE}")
endif()
execute_process(
  COMMAND "${TERN}" ${args}
  WORKING_DIRECTORY "${DIR}"
  RESULT_VARIABLE exit_code
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err)
if(NOT exit_code STREQUAL EXPECTED_EXIT)
  message(FATAL_ERROR "tern ${args}: exit code ${exit_code}, expected ${EXPECTED_EXIT}\nstdout:\n${out}\nstderr:\n${err}")
endif()
if(DEFINED FILE AND EXPECTED_EXIT EQUAL 0)
  string(FIND "${out}" "${FILE}: ok (" at)
  if(NOT at EQUAL 0)
    message(FATAL_ERROR "tern ${args}: stdout does not start with \"${FILE}: ok (\":\n${out}")
  endif()
endif()
if(DEFINED EXPECTED)
  file(READ "${EXPECTED}" want)
  if(NOT err STREQUAL want)
    message(FATAL_ERROR "tern ${args}: stderr differs.\n--- got:\n${err}--- expected:\n${want}")
  endif()
endif()
