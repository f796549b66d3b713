// Loads one QML block of the documentation the way the documentation says an application does: a
// QQmlApplicationEngine in an application linking QtTaskManager::Quick, with a qtm::TaskManager that has
// tasks as the initial property `manager` when the document's root declares
// `required property BaseTaskManager manager`.
//
// The block fails (exit code 1) on any QML error or warning, if its root is a window that does not show
// itself, if it is given a manager but never shows the name of each of its tasks, or if it has an enabled
// "Cancel" button that does not cancel a task.
#include <qtm/quick/qmlmodule.h>
#include <qtm/taskmanager.h>

#include <QtCore/QFile>
#include <QtCore/QRegularExpression>
#include <QtGui/QGuiApplication>
#include <QtQml/QQmlApplicationEngine>
#include <QtQuick/QQuickItem>
#include <QtQuick/QQuickWindow>
#include <QtTest/QTest>

#include <algorithm>
#include <cstdio>

using namespace std::chrono_literals;

namespace {

constexpr int kWaitMs = 20000;

QStringList g_warnings;
QtMessageHandler g_previousHandler = nullptr;

// Warnings of the QML engine and of the document's own JavaScript; the platform's (the offscreen plugin
// says what it does not support) are not the document's fault.
void collectQmlWarnings(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QByteArray category(context.category ? context.category : "");
    if (type != QtDebugMsg && type != QtInfoMsg
        && (category.startsWith("qml") || category.startsWith("js") || category.startsWith("qt.qml"))) {
        g_warnings << message;
    }
    g_previousHandler(type, context, message);
}

void collectTexts(QQuickItem *item, QStringList &texts)
{
    const QVariant text = item->property("text");
    if (text.isValid())
        texts << text.toString();
    const auto children = item->childItems();
    for (QQuickItem *child : children)
        collectTexts(child, texts);
}

QQuickItem *findEnabledItemWithText(QQuickItem *item, const QString &text)
{
    if (item->isEnabled() && item->property("text").toString() == text)
        return item;
    const auto children = item->childItems();
    for (QQuickItem *child : children) {
        if (QQuickItem *found = findEnabledItemWithText(child, text))
            return found;
    }
    return nullptr;
}

bool showsEveryName(QQuickItem *root, const QStringList &names)
{
    QStringList texts;
    collectTexts(root, texts);
    return std::all_of(names.begin(), names.end(), [&](const QString &name) {
        return std::any_of(texts.begin(), texts.end(), [&](const QString &text) { return text.contains(name); });
    });
}

int fail(const QString &why)
{
    std::fprintf(stderr, "%s\n", qPrintable(why));
    for (const QString &warning : std::as_const(g_warnings))
        std::fprintf(stderr, "  %s\n", qPrintable(warning));
    return 1;
}

} // namespace

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s file.qml\n", argv[0]);
        return 2;
    }
    const QString path = QString::fromLocal8Bit(argv[1]);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return fail(QStringLiteral("cannot read %1").arg(path));
    static const QRegularExpression wantsManager(
        QStringLiteral("required\\s+property\\s+BaseTaskManager\\s+manager\\b"));
    const bool givenManager = wantsManager.match(QString::fromUtf8(file.readAll())).hasMatch();

    g_previousHandler = qInstallMessageHandler(collectQmlWarnings);
    qtm::registerQmlModule();
    qtm::TaskManager manager;
    const QStringList names{QStringLiteral("download"), QStringLiteral("resize"), QStringLiteral("upload")};
    QList<qtm::Task> tasks;
    if (givenManager) {
        for (const QString &name : names)
            tasks << manager.createTask([]() -> qtm::Coro<void> { co_await qtm::sleep(24h); }, name);
    }

    QQmlApplicationEngine engine;
    QObject::connect(&engine, &QQmlEngine::warnings, [](const QList<QQmlError> &errors) {
        for (const QQmlError &error : errors)
            g_warnings << error.toString();
    });
    engine.setOutputWarningsToStandardError(false); // collected above, printed on failure
    if (givenManager)
        engine.setInitialProperties({{QStringLiteral("manager"), QVariant::fromValue(&manager)}});
    engine.load(QUrl::fromLocalFile(path));
    if (engine.rootObjects().size() != 1)
        return fail(QStringLiteral("the document did not load"));

    QObject *root = engine.rootObjects().constFirst();
    auto *window = qobject_cast<QQuickWindow *>(root);
    if (window && !window->isVisible())
        return fail(
            QStringLiteral("the root window does not show itself (visible: true): an application would show nothing"));
    QQuickItem *rootItem = window ? window->contentItem() : qobject_cast<QQuickItem *>(root);

    QCoreApplication::processEvents();
    if (givenManager && rootItem) {
        // A warning (a binding that failed, say) ends the wait: it is the failure to report.
        const bool shown
            = QTest::qWaitFor([&] { return !g_warnings.isEmpty() || showsEveryName(rootItem, names); }, kWaitMs);
        if (!shown || (g_warnings.isEmpty() && !showsEveryName(rootItem, names)))
            return fail(QStringLiteral("the document is given a manager but does not show each of its tasks' names"));
    }
    if (!g_warnings.isEmpty())
        return fail(QStringLiteral("the document loads with warnings:"));

    if (QQuickItem *cancel
        = givenManager && rootItem ? findEnabledItemWithText(rootItem, QStringLiteral("Cancel")) : nullptr) {
        if (!QMetaObject::invokeMethod(cancel, "clicked"))
            return fail(QStringLiteral("the Cancel button cannot be clicked"));
        const auto cancelled = [&] {
            return std::any_of(tasks.cbegin(), tasks.cend(),
                               [](const qtm::Task &task) { return task.state() == qtm::TaskState::Cancelled; });
        };
        if (!QTest::qWaitFor(cancelled, kWaitMs))
            return fail(QStringLiteral("clicking Cancel cancelled no task"));
        if (!g_warnings.isEmpty())
            return fail(QStringLiteral("clicking Cancel gave warnings:"));
    }
    std::printf("%s: loaded%s\n", qPrintable(path), givenManager ? " with a manager, every task shown" : "");
    return 0;
}
