// The dashboard example in a real window under Xvfb, driven as a user would: click the buttons that
// start work, cancel a task with its row's Cancel button, then look at the window, through the QML object
// tree and in a screenshot (kept as dashboard.png in the test's build directory).

#include <dashboard.h>
#include <workload.h>

#include <qtm/quick/tasklistmodel.h>

#include <QtGui/QGuiApplication>
#include <QtGui/QImage>
#include <QtQml/QQmlApplicationEngine>
#include <QtQuick/QQuickItem>
#include <QtQuick/QQuickWindow>
#include <QtTest/QTest>

#include <QtCore/QDir>
#include <QtCore/QSet>

namespace {

constexpr int kWait = 30000;

QQuickItem *item(QObject *root, const char *objectName)
{
    return root->findChild<QQuickItem *>(QLatin1String(objectName));
}

void click(QQuickWindow *window, QQuickItem *target)
{
    QVERIFY(target);
    QVERIFY(target->isVisible() && target->isEnabled());
    const QPointF center = target->mapToScene(QPointF(target->width() / 2, target->height() / 2));
    QTest::mouseClick(window, Qt::LeftButton, {}, center.toPoint());
}

//! The delegates the list currently shows.
QList<QQuickItem *> rows(QQuickItem *list)
{
    // Delegates are visual children of the content item, without a QObject parent: walk the item tree.
    QList<QQuickItem *> shown;
    const auto *content = list->property("contentItem").value<QQuickItem *>();
    const QList<QQuickItem *> all = content ? content->childItems() : QList<QQuickItem *>();
    for (QQuickItem *row : all) {
        if (row->objectName() == QLatin1String("taskRow") && row->isVisible())
            shown << row;
    }
    return shown;
}

QQuickItem *rowFor(QQuickItem *list, quint64 id)
{
    for (QQuickItem *row : rows(list)) {
        if (row->property("taskId").toULongLong() == id)
            return row;
    }
    return nullptr;
}

QString badgeText(QQuickItem *row)
{
    QQuickItem *badge = row ? item(row, "stateBadge") : nullptr;
    return badge ? badge->property("text").toString() : QString();
}

bool containsColor(const QImage &image, QRgb color)
{
    for (int y = 0; y < image.height(); ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(image.constScanLine(y));
        for (int x = 0; x < image.width(); ++x) {
            if ((line[x] & 0xffffff) == (color & 0xffffff))
                return true;
        }
    }
    return false;
}

} // namespace

class TestDashboard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void startsTasksCancelsOneAndShowsIt();
};

void TestDashboard::initTestCase()
{
    if (qEnvironmentVariableIsSet("QTM_XVFB_MISSING"))
        QSKIP("Xvfb is not installed: this test needs a real X display (install the xvfb package)");
    QCOMPARE(QGuiApplication::platformName(), QStringLiteral("xcb"));
}

void TestDashboard::startsTasksCancelsOneAndShowsIt()
{
    qtm::TaskManager manager;
    Workload workload(&manager);
    QQmlApplicationEngine engine;
    QQuickWindow *window = loadDashboard(engine, &manager, &workload);
    QVERIFY(window);
    QVERIFY(QTest::qWaitForWindowExposed(window));

    auto *tasks = window->findChild<qtm::TaskListModel *>(QStringLiteral("tasks"));
    QQuickItem *list = item(window, "taskList");
    QVERIFY(tasks);
    QVERIFY(list);
    QCOMPARE(tasks->manager(), &manager);

    // A long hash chain that is certain to still run when its Cancel button is clicked.
    const quint64 victim = workload.hashChain(500'000'000);
    click(window, item(window, "startStubbornButton"));
    click(window, item(window, "startPrimesButton"));
    click(window, item(window, "startCoroutineButton"));
    click(window, item(window, "startFailingButton"));
    QTRY_COMPARE_WITH_TIMEOUT(tasks->rowCount(), 5, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(rows(list).size(), 5, kWait);

    // Cancel the hash chain with its own button: the row turns Cancelled.
    QTRY_COMPARE_WITH_TIMEOUT(badgeText(rowFor(list, victim)), QStringLiteral("Running"), kWait);
    click(window, item(rowFor(list, victim), "cancelButton"));
    QTRY_COMPARE_WITH_TIMEOUT(badgeText(rowFor(list, victim)), QStringLiteral("Cancelled"), kWait);
    QCOMPARE(rowFor(list, victim)->property("taskState").toInt(), int(qtm::TaskState::Cancelled));
    QTRY_COMPARE_WITH_TIMEOUT(tasks->cancelledCount(), 1, kWait);

    // Cancel the legacy export, which ignores it: its row says so, and the time-out notice appears.
    QQuickItem *legacy = nullptr;
    for (QQuickItem *row : rows(list)) {
        if (row->property("taskName").toString().startsWith(QLatin1String("Legacy export")))
            legacy = row;
    }
    QVERIFY(legacy);
    QTRY_COMPARE_WITH_TIMEOUT(badgeText(legacy), QStringLiteral("Running"), kWait);
    click(window, item(legacy, "cancelButton"));
    QTRY_COMPARE_WITH_TIMEOUT(badgeText(legacy), QStringLiteral("Cancelling"), kWait);
    QObject *notice = window->findChild<QObject *>(QStringLiteral("notice"));
    QVERIFY(notice);
    QTRY_VERIFY_WITH_TIMEOUT(notice->property("opened").toBool() || tasks->cancelledCount() == 2, kWait);
    QTRY_VERIFY_WITH_TIMEOUT(notice->property("opacity").toDouble() > 0.9 || !notice->property("opened").toBool(),
                             kWait);

    // The broken import fails and shows why.
    QTRY_COMPARE_WITH_TIMEOUT(tasks->failedCount(), 1, kWait);
    QQuickItem *failed = nullptr;
    for (QQuickItem *row : rows(list)) {
        if (badgeText(row) == QLatin1String("Failed"))
            failed = row;
    }
    QVERIFY(failed);
    QTRY_VERIFY_WITH_TIMEOUT(
        item(failed, "detailText")->property("text").toString().contains(QLatin1String("settings.json")), kWait);

    // Let the scene render what the model holds now, then look at it.
    QTRY_VERIFY_WITH_TIMEOUT(tasks->runningCount() >= 1 || tasks->finishedCount() == 5, kWait);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    const QImage shot = window->grabWindow().convertToFormat(QImage::Format_RGB32);
    QVERIFY(!shot.isNull());
    const QString path = QDir(QStringLiteral(QTM_ARTIFACT_DIR)).filePath(QStringLiteral("dashboard.png"));
    QVERIFY2(shot.save(path), qPrintable(path));
    qInfo("screenshot: %s", qPrintable(path));

    QCOMPARE(shot.size(), window->size() * window->devicePixelRatio());
    QSet<QRgb> colors;
    for (int y = 0; y < shot.height(); y += 3) {
        for (int x = 0; x < shot.width(); x += 3)
            colors.insert(shot.pixel(x, y));
    }
    QVERIFY2(colors.size() > 100, qPrintable(QStringLiteral("only %1 colours").arg(colors.size())));
    QVERIFY2(containsColor(shot, qRgb(0xe3, 0x74, 0x00)), "no Cancelled badge in the screenshot");
    QVERIFY2(containsColor(shot, qRgb(0xd9, 0x30, 0x25)), "no Failed badge in the screenshot");
    QVERIFY2(containsColor(shot, qRgb(0x28, 0x35, 0x93)), "no header bar in the screenshot");

    tasks->cancelAll();
    manager.shutdown();
}

QTEST_MAIN(TestDashboard)
#include "tst_dashboard.moc"
