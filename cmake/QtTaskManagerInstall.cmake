# Installs the package: the libraries and headers, a CMake package with one component per library, the
# QML module (installed by qml/CMakeLists.txt) and pkg-config files for builds that do not use CMake.
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
    set(qtm_Quick_dependencies "Qt6 6.4 COMPONENTS Qml")
endif()
if(TARGET QtTaskManagerWidgets)
    list(APPEND qtm_components Widgets)
    set(qtm_Widgets_dependencies "Qt6 6.4 COMPONENTS Widgets")
endif()
if(TARGET QtTaskManagerQCoro)
    list(APPEND qtm_components QCoro)
    set(qtm_QCoro_dependencies "QCoro6 COMPONENTS Core")
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

# pkg-config files, QtTaskManager, QtTaskManagerQuick and QtTaskManagerWidgets. Their prefix is the one installed to, which
# `cmake --install --prefix` may change after configuring: so they are written at install time.
# Qt's own .pc files leave out the -fPIC that Qt's headers demand of code built against a Qt made with
# reduce-relocations (Debian's is); Qt's CMake targets carry it, and it is passed on from there.
get_target_property(qtm_qt_core_options Qt6::Core INTERFACE_COMPILE_OPTIONS)
set(QTM_PC_EXTRA_CFLAGS "")
if("-fPIC" IN_LIST qtm_qt_core_options)
    set(QTM_PC_EXTRA_CFLAGS " -fPIC")
endif()
foreach(dir LIBDIR INCLUDEDIR)
    if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
        set(QTM_PC_${dir} "${CMAKE_INSTALL_${dir}}")
    else()
        set(QTM_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
    endif()
endforeach()
set(qtm_pc_files QtTaskManager)
if(TARGET QtTaskManagerQuick)
    list(APPEND qtm_pc_files QtTaskManagerQuick)
endif()
if(TARGET QtTaskManagerWidgets)
    list(APPEND qtm_pc_files QtTaskManagerWidgets)
endif()
foreach(pc IN LISTS qtm_pc_files)
    # First pass now, for what is known; @QTM_PC_PREFIX@ is kept for the install-time pass.
    set(QTM_PC_PREFIX "@QTM_PC_PREFIX@")
    configure_file(cmake/${pc}.pc.in "${PROJECT_BINARY_DIR}/pkgconfig/${pc}.pc.in" @ONLY)
    install(CODE "
        set(QTM_PC_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
        configure_file(\"${PROJECT_BINARY_DIR}/pkgconfig/${pc}.pc.in\" \"${PROJECT_BINARY_DIR}/pkgconfig/${pc}.pc\" @ONLY)
    ")
    install(FILES "${PROJECT_BINARY_DIR}/pkgconfig/${pc}.pc" DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endforeach()
