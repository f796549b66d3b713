#include "dashboard.h"
#include "workload.h"

#include <qtm/quick/qmlmodule.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QLocale>
#include <QtCore/QTranslator>
#include <QtQml/QQmlApplicationEngine>
#include <QtQuick/QQuickWindow>
#include <QtQuickControls2/QQuickStyle>

bool installDashboardTranslation(QObject *owner)
{
    // The .qm files are compiled into the resources under :/i18n by qt_add_translations(); none is there
    // when the build had no Qt Linguist tools, and the dashboard then speaks English.
    auto *translator = new QTranslator(owner);
    if (!translator->load(QLocale(), QStringLiteral("dashboard"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
        delete translator;
        return false;
    }
    QCoreApplication::installTranslator(translator);
    return true;
}

QQuickWindow *loadDashboard(QQmlApplicationEngine &engine, qtm::TaskManager *manager, Workload *workload)
{
    qtm::registerQmlModule();
    // Before the QML is loaded, so that every qsTr() binding is evaluated translated from the start.
    installDashboardTranslation(&engine);
    // The QML is written for the Material style (it sets Material colours); QT_QUICK_CONTROLS_STYLE wins.
    // A style is set once per process, before the first QML that imports Qt Quick Controls: a second
    // dashboard (the GUI test loads several) keeps it. (QQuickStyle::name() would not tell: it resolves the
    // default style when none is set yet.)
    static bool styleChosen = false;
    if (!styleChosen && qEnvironmentVariableIsEmpty("QT_QUICK_CONTROLS_STYLE"))
        QQuickStyle::setStyle(QStringLiteral("Material"));
    styleChosen = true;
    engine.setInitialProperties({
        {QStringLiteral("manager"), QVariant::fromValue(manager)},
        {QStringLiteral("workload"), QVariant::fromValue(workload)},
    });
    engine.load(QUrl(QStringLiteral("qrc:/dashboard/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return nullptr;
    return qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
}
