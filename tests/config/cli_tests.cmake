# ctest entries that run the real `tern` command (included by tests/CMakeLists.txt).
set(tern_cli_script "${CMAKE_CURRENT_LIST_DIR}/validate_cli.cmake")
set(tern_fixtures "${CMAKE_CURRENT_LIST_DIR}/fixtures")

# Every shipped example must validate; new examples are picked up when CMake configures.
file(GLOB tern_config_examples CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/config/examples/*.json")
foreach(example IN LISTS tern_config_examples)
  get_filename_component(example_name "${example}" NAME)
  get_filename_component(example_dir "${example}" DIRECTORY)
  add_test(NAME "tern validate: example ${example_name} is valid"
    COMMAND ${CMAKE_COMMAND} -DTERN=$<TARGET_FILE:tern> -DDIR=${example_dir} -DARGS=validate
            -DFILE=${example_name} -DEXPECTED_EXIT=0 -P "${tern_cli_script}")
endforeach()

# Broken fixtures: exit 1 and exactly the errors in the matching .expected file.
foreach(fixture IN ITEMS broken_topology broken_syntax)
  add_test(NAME "tern validate: ${fixture}.json reports every error with its pointer"
    COMMAND ${CMAKE_COMMAND} -DTERN=$<TARGET_FILE:tern> -DDIR=${tern_fixtures} -DARGS=validate
            -DFILE=${fixture}.json -DEXPECTED_EXIT=1 -DEXPECTED=${tern_fixtures}/${fixture}.expected
            -P "${tern_cli_script}")
endforeach()

# Exit codes: 2 for usage errors; a file that cannot be read is a failure (1), not misuse.
foreach(case IN ITEMS "2:validate|--no-such-option" "2:validate" "2:no-such-command" "1:validate|no_such_file.json"
                      "0:validate|--help" "0:version")
  string(REPLACE ":" ";" parts "${case}")
  list(GET parts 0 code)
  list(GET parts 1 args)
  string(REPLACE "|" " " shown "${args}")
  add_test(NAME "tern ${shown}: exits ${code}"
    COMMAND ${CMAKE_COMMAND} -DTERN=$<TARGET_FILE:tern> -DDIR=${tern_fixtures} -DARGS=${args}
            -DEXPECTED_EXIT=${code} -P "${tern_cli_script}")
endforeach()
add_test(NAME "tern version: prints the project version" COMMAND tern version)
set_tests_properties("tern version: prints the project version" PROPERTIES
  PASS_REGULAR_EXPRESSION "^tern ${PROJECT_VERSION}\ncommit: +([0-9a-f]+|unknown) ")
