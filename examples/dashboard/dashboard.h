#pragma once

#include <qtm/taskmanager.h>

QT_BEGIN_NAMESPACE
class QObject;
class QQmlApplicationEngine;
class QQuickWindow;
QT_END_NAMESPACE

class Workload;

/*!
 * Installs on the application the dashboard's translation for the default locale (QLocale(), which is the
 * system's unless QLocale::setDefault() changed it): the strings of the QML and the workload's task names
 * and progress texts. The translator is a child of \a owner and leaves the application with it.
 * Returns false, and installs nothing, when there is no translation for that locale (English is the
 * source language) or the build had no Qt Linguist tools.
 */
bool installDashboardTranslation(QObject *owner);

/*!
 * Loads the dashboard into \a engine, bound to \a manager and \a workload, and returns its window (or null
 * if the QML failed to load). Shared by the example's main() and its GUI test. It first installs the
 * translation for the default locale (installDashboardTranslation(), owned by \a engine), and takes its
 * colours from the application's palette (QGuiApplication::palette()): set a dark one before loading
 * for a dark dashboard.
 *
 * This is how QML reaches a manager created in C++: Main.qml declares
 * `required property BaseTaskManager manager`, and the engine sets it as an initial property before the
 * root object is completed, so every binding sees the manager from the start.
 */
QQuickWindow *loadDashboard(QQmlApplicationEngine &engine, qtm::TaskManager *manager, Workload *workload);
