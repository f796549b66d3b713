# api_reference_rejects_undocumented: runs Doxygen with the API reference's settings (the generated Doxyfile,
# included as is) on undocumented.h, and passes only if Doxygen fails, with one warning, naming the one
# undocumented function. Proves that api_reference_builds can fail.
#   cmake -DDOXYGEN=<doxygen> -DDOXYFILE=<build>/docs/Doxyfile -DFIXTURE=<undocumented.h> -DWORK_DIR=<dir>
#         -P rejects_undocumented.cmake
foreach(var DOXYGEN DOXYFILE FIXTURE WORK_DIR)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "rejects_undocumented.cmake: -D${var}=... is missing")
    endif()
endforeach()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
# Later assignments win in a Doxyfile: only what is read and where the output goes change.
file(WRITE "${WORK_DIR}/Doxyfile" "@INCLUDE = \"${DOXYFILE}\"
INPUT = \"${FIXTURE}\"
USE_MDFILE_AS_MAINPAGE =
OUTPUT_DIRECTORY = \"${WORK_DIR}\"
")
execute_process(COMMAND "${DOXYGEN}" "${WORK_DIR}/Doxyfile"
    WORKING_DIRECTORY "${WORK_DIR}"
    RESULT_VARIABLE result
    OUTPUT_VARIABLE output
    ERROR_VARIABLE errors)
message(STATUS "doxygen exited with ${result}; its messages:\n${errors}")

if(result EQUAL 0)
    message(FATAL_ERROR "doxygen accepted a header with an undocumented public function")
endif()
if(NOT errors MATCHES "Member undocumentedFunction\\(\\) \\(function\\) of class qtm::DocsFixture is not documented")
    message(FATAL_ERROR "doxygen failed, but without naming undocumentedFunction() as undocumented")
endif()
string(REGEX MATCHALL "(warning|error): " messages "${errors}")
list(LENGTH messages count)
if(NOT count EQUAL 1)
    message(FATAL_ERROR "expected one warning (the undocumented function), got ${count}: the settings mis-read "
                        "the fixture's Qt macros, or the fixture has another problem")
endif()
