// Runs the Qt Quick Test files in quick/ against the QtTaskManager QML module. Each QML engine gets its own
// manager and a TaskDriver (see taskdriver.h) as the context properties "taskManager" and "driver", the
// way an application hands a manager created in C++ to QML.

#include "taskdriver.h"

#include <qtm/quick/qmlmodule.h>

#include <QtQml/QQmlContext>
#include <QtQml/QQmlEngine>
#include <QtQuickTest/quicktest.h>

class Setup : public QObject
{
    Q_OBJECT

public Q_SLOTS:
    void applicationAvailable() { qtm::registerQmlModule(); }

    void qmlEngineAvailable(QQmlEngine *engine)
    {
        // Owned by the engine, so they go when it goes (the manager last: it is the driver's parent).
        auto *manager = new qtm::TaskManager(engine);
        manager->setProgressInterval(std::chrono::milliseconds(0));
        auto *driver = new TaskDriver(manager, manager);
        engine->rootContext()->setContextProperty(QStringLiteral("taskManager"), manager);
        engine->rootContext()->setContextProperty(QStringLiteral("driver"), driver);
    }
};

QUICK_TEST_MAIN_WITH_SETUP(qtm_quick, Setup)

#include "tst_quick.moc"
