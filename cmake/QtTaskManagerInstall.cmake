# Installs the package: the libraries and headers, and a CMake package with one component per library.
include(CMakePackageConfigHelpers)
include(GNUInstallDirs)

set(qtm_cmake_dir "${CMAKE_INSTALL_LIBDIR}/cmake/QtTaskManager")

install(TARGETS QtTaskManagerCore EXPORT QtTaskManagerCoreTargets
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
    INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/qtm DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES "${PROJECT_BINARY_DIR}/include/qtm/qtm_export.h" "${PROJECT_BINARY_DIR}/include/qtm/version.h"
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/qtm)

# The components this build has, and what each needs, as find_package() arguments: one string per package.
# Every component's library builds on Core, which the package config therefore always loads. Each
# component's targets are installed by its own directory in the export set QtTaskManager<Component>Targets.
set(qtm_components Core)
set(qtm_Core_dependencies "Qt6 6.4 COMPONENTS Core Concurrent")
if(TARGET QtTaskManagerQuick)
    list(APPEND qtm_components Quick)
    set(qtm_Quick_dependencies "Qt6 6.4 COMPONENTS Gui Qml Quick")
endif()

set(QTM_PACKAGE_COMPONENTS "${qtm_components}")
set(QTM_PACKAGE_DEPENDENCIES "")
foreach(component IN LISTS qtm_components)
    install(EXPORT QtTaskManager${component}Targets NAMESPACE QtTaskManager:: DESTINATION ${qtm_cmake_dir})
    # The build tree is a package too: CMAKE_PREFIX_PATH=<build dir> finds it without installing.
    export(EXPORT QtTaskManager${component}Targets NAMESPACE QtTaskManager::
        FILE "${PROJECT_BINARY_DIR}/QtTaskManager${component}Targets.cmake")
    set(dependencies "")
    foreach(dependency IN LISTS qtm_${component}_dependencies)
        string(APPEND dependencies " \"${dependency}\"")
    endforeach()
    string(APPEND QTM_PACKAGE_DEPENDENCIES "set(_qtm_${component}_dependencies${dependencies})\n")
endforeach()

configure_package_config_file(cmake/QtTaskManagerConfig.cmake.in
    "${PROJECT_BINARY_DIR}/QtTaskManagerConfig.cmake" INSTALL_DESTINATION ${qtm_cmake_dir})
write_basic_package_version_file("${PROJECT_BINARY_DIR}/QtTaskManagerConfigVersion.cmake"
    COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/QtTaskManagerConfig.cmake"
    "${PROJECT_BINARY_DIR}/QtTaskManagerConfigVersion.cmake" DESTINATION ${qtm_cmake_dir})
