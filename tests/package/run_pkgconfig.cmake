# Builds consumers without CMake, with the compiler and `pkg-config --cflags --libs` alone, against the
# installed prefix, and runs them: the Core consumer with QtTaskManager.pc and, with -DQUICK_SOURCE, the
# Quick consumer with QtTaskManagerQuick.pc, and with -DWIDGETS_SOURCE the Widgets consumer with
# QtTaskManagerWidgets.pc.
foreach(var PKG_CONFIG PREFIX LIBDIR CXX_COMPILER WORK_DIR CORE_SOURCE EXPECTED_VERSION)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "run_pkgconfig.cmake needs -D${var}=...")
    endif()
endforeach()

function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "failed (${result}): ${ARGN}\n${out}\n${err}")
    endif()
    string(STRIP "${out}${err}" out)
    set(last_output "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
# Only the prefix's .pc files and the system's: nothing of the build tree.
set(ENV{PKG_CONFIG_PATH} "${PREFIX}/${LIBDIR}/pkgconfig")
unset(ENV{LD_LIBRARY_PATH})
set(ENV{QT_QPA_PLATFORM} offscreen)

# build_and_run(<package> <source> <expected output> [compiler flags...])
function(build_and_run package source expected)
    run(${PKG_CONFIG} --modversion ${package})
    if(NOT last_output STREQUAL EXPECTED_VERSION)
        message(FATAL_ERROR "pkg-config says ${package} is '${last_output}', expected ${EXPECTED_VERSION}")
    endif()
    run(${PKG_CONFIG} --cflags --libs ${package})
    message(STATUS "pkg-config --cflags --libs ${package}: ${last_output}")
    separate_arguments(flags UNIX_COMMAND "${last_output}")
    set(program "${WORK_DIR}/${package}-consumer")
    run(${CXX_COMPILER} -std=c++20 ${ARGN} "${source}" ${flags} "-Wl,-rpath,${PREFIX}/${LIBDIR}" -o "${program}")
    run("${program}")
    string(FIND "${last_output}" "${expected}" found)
    if(found EQUAL -1)
        message(FATAL_ERROR "the output of the ${package} consumer lacks '${expected}':\n${last_output}")
    endif()
    message(STATUS "output of the ${package} consumer:\n${last_output}")
endfunction()

build_and_run(QtTaskManager "${CORE_SOURCE}" "hello, world")
if(DEFINED QUICK_SOURCE)
    build_and_run(QtTaskManagerQuick "${QUICK_SOURCE}" "rows in QML: 2"
        "-DQTM_EXPECTED_VERSION=\"${EXPECTED_VERSION}\"")
endif()
if(DEFINED WIDGETS_SOURCE)
    build_and_run(QtTaskManagerWidgets "${WIDGETS_SOURCE}" "count to ten: Succeeded, 100%")
endif()
