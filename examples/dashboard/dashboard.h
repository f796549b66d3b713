#pragma once

#include <qtm/taskmanager.h>

QT_BEGIN_NAMESPACE
class QQmlApplicationEngine;
class QQuickWindow;
QT_END_NAMESPACE

class Workload;

/*!
 * Loads the dashboard into \a engine, bound to \a manager and \a workload, and returns its window (or null
 * if the QML failed to load). Shared by the example's main() and its GUI test.
 *
 * This is how QML reaches a manager created in C++: Main.qml declares
 * `required property BaseTaskManager manager`, and the engine sets it as an initial property before the
 * root object is completed, so every binding sees the manager from the start.
 */
QQuickWindow *loadDashboard(QQmlApplicationEngine &engine, qtm::TaskManager *manager, Workload *workload);
