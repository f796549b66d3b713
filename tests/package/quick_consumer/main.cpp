// An application of the Quick component: qtm::TaskListModel used from C++ and, through the QML module the
// library embeds, from QML; and <qtm/version.h> checked against the version the package was found with.
#include <qtm/quick/qmlmodule.h>
#include <qtm/quick/tasklistmodel.h>
#include <qtm/taskmanager.h>
#include <qtm/version.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QDebug>
#include <QtCore/QTimer>
#include <QtQml/QQmlComponent>
#include <QtQml/QQmlEngine>

#include <memory>

using namespace std::chrono_literals;

static_assert(QTM_VERSION == QTM_VERSION_CHECK(QTM_VERSION_MAJOR, QTM_VERSION_MINOR, QTM_VERSION_PATCH));
static_assert(QTM_VERSION_CHECK(0, 255, 255) < QTM_VERSION_CHECK(1, 0, 0));
static_assert(QTM_VERSION >= QTM_VERSION_CHECK(0, 1, 0));

// Runs the event loop until \a done holds, for at most 30 s; true if it held.
template<typename Predicate>
static bool waitFor(Predicate done)
{
    QTimer poll;
    QTimer bound;
    bound.setSingleShot(true);
    QObject::connect(&poll, &QTimer::timeout, [&] {
        if (done())
            QCoreApplication::exit(0);
    });
    QObject::connect(&bound, &QTimer::timeout, [] { QCoreApplication::exit(1); });
    poll.start(10ms);
    bound.start(30s);
    return QCoreApplication::exec() == 0 && done();
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    qtm::registerQmlModule();

    const QString expected = QStringLiteral(QTM_EXPECTED_VERSION);
    const int major = expected.section(u'.', 0, 0).toInt();
    const int minor = expected.section(u'.', 1, 1).toInt();
    const int patch = expected.section(u'.', 2, 2).toInt();
    if (QStringLiteral(QTM_VERSION_STR) != expected || QTM_VERSION != QTM_VERSION_CHECK(major, minor, patch)) {
        qCritical() << "qtm/version.h says" << QTM_VERSION_STR << "but the package is" << expected;
        return 1;
    }

    qtm::TaskManager manager;
    for (const char *name : {"first", "second"})
        manager.createTask([]() -> qtm::Coro<void> { co_await qtm::sleep(24h); }, QString::fromUtf8(name));

    qtm::TaskListModel model;
    model.setManager(&manager);

    // The module's own type as the root: no other QML module is needed.
    QQmlEngine engine;
    QQmlComponent component(&engine);
    component.setData("import QtTaskManager\nTaskListModel {}\n", QUrl(QStringLiteral("consumer.qml")));
    if (!component.isReady()) {
        qCritical().noquote() << "the QML module did not load:" << component.errorString();
        return 1;
    }
    const std::unique_ptr<QObject> root(
        component.createWithInitialProperties({{QStringLiteral("manager"), QVariant::fromValue(&manager)}}));
    if (!root) {
        qCritical().noquote() << "the QML TaskListModel was not created:" << component.errorString();
        return 1;
    }

    if (!waitFor([&] { return model.rowCount() == 2 && root->property("count").toInt() == 2; })) {
        qCritical() << "the models did not list the two tasks:" << model.rowCount() << root->property("count");
        return 1;
    }
    qInfo().noquote() << "QtTaskManager" << QTM_VERSION_STR << "rows in C++:" << model.rowCount()
                      << "rows in QML:" << root->property("count").toInt();
    return 0;
}
