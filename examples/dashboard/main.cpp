// The QtTaskManager dashboard: a live view of every task of the application, with real work to start.

#include "dashboard.h"
#include "workload.h"

#include <QtGui/QGuiApplication>
#include <QtQml/QQmlApplicationEngine>

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName(QStringLiteral("QtTaskManager Dashboard"));

    // The manager is created in C++, as in a real application, and handed to QML by loadDashboard().
    qtm::TaskManager manager;
    Workload workload(&manager);
    QQmlApplicationEngine engine;
    if (!loadDashboard(engine, &manager, &workload))
        return 1;
    const int status = QGuiApplication::exec();
    // Cancel what is left while the QML is still alive to see it, then let the manager wait for threads.
    manager.shutdown();
    return status;
}
