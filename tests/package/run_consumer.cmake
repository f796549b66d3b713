# Configures and builds a consumer project in a fresh directory, then runs one of its programs and checks
# its output. With -DEXPECT_CONFIGURE_FAILURE=<regex>, configuring must fail with output matching it.
#
#   cmake -DSOURCE_DIR=<project> -DWORK_DIR=<scratch> -DGENERATOR=<generator> -DCXX_COMPILER=<compiler>
#         [-DPREFIX=<installed QtTaskManager>] [-DCONFIGURE_ARGS=a|b] [-DRUN=<program in the build dir>]
#         [-DBUILD_TARGET=<target, instead of all>]
#         [-DRUN_ARGS=a|b] [-DEXPECT=text|text] [-DEXPECT_CONFIGURE_FAILURE=<regex>] -P run_consumer.cmake
#
# Lists are separated by '|'. The programs run under the offscreen platform and without LD_LIBRARY_PATH:
# they find the libraries through the RUNPATH CMake gave them.
foreach(var SOURCE_DIR WORK_DIR GENERATOR CXX_COMPILER)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "run_consumer.cmake needs -D${var}=...")
    endif()
endforeach()
foreach(var CONFIGURE_ARGS RUN_ARGS EXPECT)
    string(REPLACE "|" ";" ${var} "${${var}}")
endforeach()

function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "failed (${result}): ${ARGN}\n${out}\n${err}")
    endif()
    set(last_output "${out}${err}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
set(configure ${CMAKE_COMMAND} -S "${SOURCE_DIR}" -B "${WORK_DIR}" -G "${GENERATOR}"
    "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" ${CONFIGURE_ARGS})
if(DEFINED PREFIX)
    list(APPEND configure "-DCMAKE_PREFIX_PATH=${PREFIX}")
endif()

if(DEFINED EXPECT_CONFIGURE_FAILURE)
    execute_process(COMMAND ${configure} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(result EQUAL 0)
        message(FATAL_ERROR "configuring ${SOURCE_DIR} ${CONFIGURE_ARGS} succeeded, it should have failed:\n${out}${err}")
    endif()
    if(NOT "${out}${err}" MATCHES "${EXPECT_CONFIGURE_FAILURE}")
        message(FATAL_ERROR "configuring failed, but without '${EXPECT_CONFIGURE_FAILURE}':\n${out}${err}")
    endif()
    message(STATUS "configuring failed as expected:\n${err}")
    return()
endif()

run(${configure})
message(STATUS "${last_output}")
if(DEFINED BUILD_TARGET)
    run(${CMAKE_COMMAND} --build "${WORK_DIR}" --target ${BUILD_TARGET})
else()
    run(${CMAKE_COMMAND} --build "${WORK_DIR}")
endif()
if(NOT DEFINED RUN)
    return()
endif()

unset(ENV{LD_LIBRARY_PATH})
set(ENV{QT_QPA_PLATFORM} offscreen)
run("${WORK_DIR}/${RUN}" ${RUN_ARGS})
foreach(expected IN LISTS EXPECT)
    string(FIND "${last_output}" "${expected}" found)
    if(found EQUAL -1)
        message(FATAL_ERROR "the output of ${RUN} lacks '${expected}':\n${last_output}")
    endif()
endforeach()
message(STATUS "output of ${RUN}:\n${last_output}")
