# Checks that the C++ block of README.md between the README-EXAMPLE markers is the tested example.
file(READ "${README}" readme)
file(READ "${EXAMPLE}" example)
string(REGEX MATCH "// README-EXAMPLE-BEGIN\n(.*)// README-EXAMPLE-END" _ "${example}")
set(code "${CMAKE_MATCH_1}")
string(FIND "${readme}" "${code}" found)
if(found EQUAL -1 OR code STREQUAL "")
    message(FATAL_ERROR "README.md's usage example differs from ${EXAMPLE}: copy the code between the markers into it")
endif()
