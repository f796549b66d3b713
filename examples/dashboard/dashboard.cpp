#include "dashboard.h"
#include "workload.h"

#include <qtm/quick/qmlmodule.h>

#include <QtQml/QQmlApplicationEngine>
#include <QtQuick/QQuickWindow>
#include <QtQuickControls2/QQuickStyle>

QQuickWindow *loadDashboard(QQmlApplicationEngine &engine, qtm::TaskManager *manager, Workload *workload)
{
    qtm::registerQmlModule();
    // The QML is written for the Material style (it sets Material colours); QT_QUICK_CONTROLS_STYLE wins.
    if (qEnvironmentVariableIsEmpty("QT_QUICK_CONTROLS_STYLE"))
        QQuickStyle::setStyle(QStringLiteral("Material"));
    engine.setInitialProperties({
        {QStringLiteral("manager"), QVariant::fromValue(manager)},
        {QStringLiteral("workload"), QVariant::fromValue(workload)},
    });
    engine.load(QUrl(QStringLiteral("qrc:/dashboard/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return nullptr;
    return qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
}
