include(CMakePackageConfigHelpers)
include(GNUInstallDirs)

set(qtm_cmake_dir "${CMAKE_INSTALL_LIBDIR}/cmake/QtTaskManager")

install(TARGETS QtTaskManagerCore EXPORT QtTaskManagerTargets
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
    INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/qtm DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES "${PROJECT_BINARY_DIR}/include/qtm/qtm_export.h" DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/qtm)

install(EXPORT QtTaskManagerTargets NAMESPACE QtTaskManager:: DESTINATION ${qtm_cmake_dir})
export(EXPORT QtTaskManagerTargets NAMESPACE QtTaskManager::
    FILE "${PROJECT_BINARY_DIR}/QtTaskManagerTargets.cmake")

if(TARGET QtTaskManagerQuick)
    set(QTM_CONFIG_WITH_QUICK TRUE)
else()
    set(QTM_CONFIG_WITH_QUICK FALSE)
endif()
configure_package_config_file(cmake/QtTaskManagerConfig.cmake.in
    "${PROJECT_BINARY_DIR}/QtTaskManagerConfig.cmake" INSTALL_DESTINATION ${qtm_cmake_dir})
write_basic_package_version_file("${PROJECT_BINARY_DIR}/QtTaskManagerConfigVersion.cmake"
    COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/QtTaskManagerConfig.cmake"
    "${PROJECT_BINARY_DIR}/QtTaskManagerConfigVersion.cmake" DESTINATION ${qtm_cmake_dir})
