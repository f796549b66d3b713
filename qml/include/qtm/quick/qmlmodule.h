#pragma once

#include <qtm/quick/qtmquick_export.h>

namespace qtm {

/*!
 * Makes `import QtTaskManager` resolve in this process. Call it once, before loading QML that imports the
 * module, in an application that links QtTaskManager::Quick but uses none of its C++ classes:
 *
 * \code
 * int main(int argc, char *argv[])
 * {
 *     QGuiApplication app(argc, argv);
 *     qtm::registerQmlModule();
 *     QQmlApplicationEngine engine;
 *     ...
 * }
 * \endcode
 *
 * Why it is needed: the module registers its types when the library is loaded, and its qmldir is embedded
 * in the library; but a linker that drops unused shared libraries (`--as-needed`, the default on Debian and
 * Ubuntu) leaves the library out of an executable that calls nothing in it. Calling this function is such a
 * call. It does nothing else and may be called any number of times. An application that already uses
 * TaskListModel or TaskFilterModel from C++ does not need it.
 */
QTMQUICK_EXPORT void registerQmlModule();

} // namespace qtm
