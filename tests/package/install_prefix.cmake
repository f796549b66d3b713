# Installs the built project into a fresh prefix: the fixture of the package tests, which build and run
# consumers against that prefix as a user would against theirs.
foreach(var BUILD_DIR PREFIX)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "install_prefix.cmake needs -D${var}=...")
    endif()
endforeach()
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${PREFIX}"
    RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "installing ${BUILD_DIR} into ${PREFIX} failed (${result}):\n${out}\n${err}")
endif()
message(STATUS "${out}")
