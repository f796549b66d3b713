// Every QML block of README.md, loaded the way the README says: by a QQmlApplicationEngine with a manager
// as the initial property `manager`, here under the offscreen platform. Each must load without an error
// or a warning, show its window, and show a row for every task of the manager; a block with a "Cancel"
// button must cancel a task with it.
#include <qtm/quick/qmlmodule.h>
#include <qtm/taskmanager.h>

#include <QtCore/QFile>
#include <QtCore/QRegularExpression>
#include <QtQml/QQmlApplicationEngine>
#include <QtQuick/QQuickItem>
#include <QtQuick/QQuickWindow>
#include <QtTest/QtTest>

using namespace std::chrono_literals;

namespace {

constexpr int kWaitMs = 20000;

QStringList readmeQmlBlocks()
{
    QFile readme(QStringLiteral(QTM_README));
    if (!readme.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    const QString text = QString::fromUtf8(readme.readAll());
    static const QRegularExpression block(QStringLiteral("^```qml\\n(.*?)^```"),
                                          QRegularExpression::MultilineOption
                                              | QRegularExpression::DotMatchesEverythingOption);
    QStringList blocks;
    for (auto it = block.globalMatch(text); it.hasNext();)
        blocks << it.next().captured(1);
    return blocks;
}

// The texts shown by the items under \a item, the delegates of its views included.
void collectTexts(QQuickItem *item, QStringList &texts)
{
    const QVariant text = item->property("text");
    if (text.isValid())
        texts << text.toString();
    const auto children = item->childItems();
    for (QQuickItem *child : children)
        collectTexts(child, texts);
}

// The first enabled item under \a item whose text is \a text.
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

bool showsEveryName(QQuickWindow *window, const QStringList &names)
{
    QStringList texts;
    collectTexts(window->contentItem(), texts);
    return std::all_of(names.begin(), names.end(), [&](const QString &name) {
        return std::any_of(texts.begin(), texts.end(), [&](const QString &text) { return text.contains(name); });
    });
}

} // namespace

class tst_ReadmeQml : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readmeQmlBlockRunsWithAManager_data();
    void readmeQmlBlockRunsWithAManager();
};

void tst_ReadmeQml::readmeQmlBlockRunsWithAManager_data()
{
    QTest::addColumn<QString>("code");
    const QStringList blocks = readmeQmlBlocks();
    QVERIFY2(!blocks.isEmpty(), "README.md has no ```qml block (or could not be read)");
    for (qsizetype i = 0; i < blocks.size(); ++i)
        QTest::addRow("README.md qml block %d", int(i + 1)) << blocks.at(i);
}

void tst_ReadmeQml::readmeQmlBlockRunsWithAManager()
{
    QFETCH(QString, code);

    qtm::registerQmlModule();
    qtm::TaskManager manager;
    const QStringList names{QStringLiteral("download"), QStringLiteral("resize"), QStringLiteral("upload")};
    QList<qtm::Task> tasks;
    for (const QString &name : names)
        tasks << manager.createTask([]() -> qtm::Coro<void> { co_await qtm::sleep(24h); }, name);

    QStringList warnings;
    QQmlApplicationEngine engine;
    connect(&engine, &QQmlEngine::warnings, this, [&](const QList<QQmlError> &errors) {
        for (const QQmlError &error : errors)
            warnings << error.toString();
    });
    engine.setInitialProperties({{QStringLiteral("manager"), QVariant::fromValue(&manager)}});
    engine.loadData(code.toUtf8(), QUrl::fromLocalFile(QDir::current().absoluteFilePath(QStringLiteral("Main.qml"))));

    QVERIFY2(engine.rootObjects().size() == 1,
             qPrintable(QStringLiteral("the block did not load:\n") + warnings.join(u'\n')));
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
    QVERIFY2(window, "the block's root object is not a window");
    QVERIFY2(window->isVisible(), "the block's window does not show itself: an application would show nothing");
    // A warning (a binding that failed, say) ends the wait: it is the failure to report.
    QTRY_VERIFY_WITH_TIMEOUT(!warnings.isEmpty() || showsEveryName(window, names), kWaitMs);
    QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));
    QVERIFY2(showsEveryName(window, names), "the window does not show a row for every task");

    QQuickItem *cancel = findEnabledItemWithText(window->contentItem(), QStringLiteral("Cancel"));
    if (!cancel)
        return;
    QVERIFY(QMetaObject::invokeMethod(cancel, "clicked"));
    QTRY_VERIFY_WITH_TIMEOUT(
        std::any_of(tasks.cbegin(), tasks.cend(),
                    [](const qtm::Task &task) { return task.state() == qtm::TaskState::Cancelled; }),
        kWaitMs);
    QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(u'\n')));
}

QTEST_MAIN(tst_ReadmeQml)
#include "tst_readmeqml.moc"
