# api_reference_rejects_undocumented(_enumerator): runs the API reference's checks on one fixture header
# (Doxygen with the generated Doxyfile, included as is, then the enumerator check if given) and passes only
# if they fail with one message, matching EXPECT. Proves that api_reference_builds can fail.
#   cmake -DDOXYGEN=<doxygen> -DDOXYFILE=<build>/docs/Doxyfile -DFIXTURE=<header> -DWORK_DIR=<dir>
#         -DEXPECT=<regex> [-DPYTHON=<python3> -DCHECK_ENUMERATORS=<docs/check_enumerators.py>]
#         -P rejects_undocumented.cmake
foreach(var DOXYGEN DOXYFILE FIXTURE WORK_DIR EXPECT)
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
    OUTPUT_QUIET
    ERROR_VARIABLE messages)
message(STATUS "doxygen exited with ${result}")
if(DEFINED CHECK_ENUMERATORS)
    execute_process(COMMAND "${PYTHON}" "${CHECK_ENUMERATORS}" "${WORK_DIR}/xml"
        RESULT_VARIABLE check_result
        ERROR_VARIABLE check_messages)
    message(STATUS "check_enumerators.py exited with ${check_result}")
    string(APPEND messages "${check_messages}")
    if(NOT check_result EQUAL 0)
        set(result "${check_result}")
    endif()
endif()
message(STATUS "messages:\n${messages}")

if(result EQUAL 0)
    message(FATAL_ERROR "the checks accepted ${FIXTURE}, which has an undocumented public symbol")
endif()
if(NOT messages MATCHES "${EXPECT}")
    message(FATAL_ERROR "the checks failed, but no message matches '${EXPECT}'")
endif()
string(REGEX MATCHALL "(warning|error): " found "${messages}")
list(LENGTH found count)
if(NOT count EQUAL 1)
    message(FATAL_ERROR "expected one message (the undocumented symbol), got ${count}: the settings mis-read "
                        "the fixture's Qt macros, or the fixture has another problem")
endif()
