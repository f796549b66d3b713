# Compile options every QtTaskManager target shares: standard C++20 without GNU extensions, warnings, and the
# sanitizer chosen with QTM_SANITIZE.
function(qtm_target_defaults target)
    target_compile_features(${target} PUBLIC cxx_std_20)
    set_target_properties(${target} PROPERTIES CXX_EXTENSIONS OFF)
    if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
        target_compile_options(${target} PRIVATE -Wall -Wextra)
        if(QTM_WARNINGS_AS_ERRORS)
            target_compile_options(${target} PRIVATE -Werror)
        endif()
    endif()
    if(QTM_SANITIZE STREQUAL "address")
        target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
        target_link_options(${target} PRIVATE -fsanitize=address,undefined)
    elseif(QTM_SANITIZE STREQUAL "thread")
        target_compile_options(${target} PRIVATE -fsanitize=thread -fno-omit-frame-pointer)
        target_link_options(${target} PRIVATE -fsanitize=thread)
    elseif(NOT QTM_SANITIZE STREQUAL "")
        message(FATAL_ERROR "QTM_SANITIZE must be empty, 'address' or 'thread', not '${QTM_SANITIZE}'")
    endif()
endfunction()

# qtm_add_test(NAME name SOURCES a.cpp ... [LIBRARIES ...] [LABELS ...] [TIMEOUT seconds])
# Builds a Qt Test executable and registers it with ctest under the given labels.
function(qtm_add_test)
    cmake_parse_arguments(arg "" "NAME;TIMEOUT" "SOURCES;LIBRARIES;LABELS" ${ARGN})
    add_executable(${arg_NAME} ${arg_SOURCES})
    target_link_libraries(${arg_NAME} PRIVATE Qt6::Test QtTaskManager::Core ${arg_LIBRARIES})
    qtm_target_defaults(${arg_NAME})
    add_test(NAME ${arg_NAME} COMMAND ${arg_NAME})
    if(NOT arg_TIMEOUT)
        set(arg_TIMEOUT 120)
    endif()
    set_tests_properties(${arg_NAME} PROPERTIES LABELS "${arg_LABELS}" TIMEOUT ${arg_TIMEOUT}
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;QT_LOGGING_RULES=qtm.*.debug=false")
endfunction()

# qtm_tsan_suppressions_without(<out_var> <entry>...)
# Writes a copy of tests/sanitizers/tsan.supp without the given lines into the build tree and returns its
# path: for a test that must run without those suppressions (a reproduction that shows the report an entry
# hides, or a regression test an entry would blind). Fails if an entry is not in the file, so that a renamed
# or removed entry cannot leave such a test checking nothing.
function(qtm_tsan_suppressions_without out_var)
    set(source "${PROJECT_SOURCE_DIR}/tests/sanitizers/tsan.supp")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${source}")
    file(READ "${source}" content)
    set(name "")
    foreach(entry IN LISTS ARGN)
        string(FIND "${content}" "\n${entry}\n" at)
        if(at EQUAL -1)
            message(FATAL_ERROR "tests/sanitizers/tsan.supp has no line '${entry}'")
        endif()
        string(REPLACE "\n${entry}\n" "\n" content "${content}")
        string(MAKE_C_IDENTIFIER "${entry}" id)
        string(APPEND name "-${id}")
    endforeach()
    string(MD5 hash "${name}")
    string(SUBSTRING "${hash}" 0 12 hash)
    set(path "${CMAKE_CURRENT_BINARY_DIR}/tsan-without-${hash}.supp")
    file(WRITE "${path}" "${content}")
    set(${out_var} "${path}" PARENT_SCOPE)
endfunction()

# qtm_tsan_options(<suppression file> <out_var>): TSAN_OPTIONS as the tsan test preset sets them, with
# another suppression file.
function(qtm_tsan_options supp out_var)
    set(${out_var} "TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:history_size=7:suppressions=${supp}"
        PARENT_SCOPE)
endfunction()
