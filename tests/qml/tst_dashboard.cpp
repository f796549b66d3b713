// The dashboard example in a real window under Xvfb, driven as a user would: click the buttons that
// start work, cancel a task with its row's Cancel button or from the keyboard, then look at the window,
// through the QML object tree, through the accessibility interfaces a screen reader uses, and in
// screenshots (kept as dashboard.png and dashboard-dark.png in the test's build directory). Also run in
// German and with a dark application palette.

#include "taskdriver.h"

#include <dashboard.h>
#include <workload.h>

#include <qtm/quick/tasklistmodel.h>

#include <QtCore/QPromise>
#include <QtGui/QAccessible>
#include <QtGui/QGuiApplication>
#include <QtGui/QImage>
#include <QtGui/QPalette>
#include <QtQml/QQmlApplicationEngine>
#include <QtQuick/QQuickItem>
#include <QtQuick/QQuickWindow>
#include <QtTest/QTest>

#include <QtCore/QDir>
#include <QtCore/QLocale>
#include <QtCore/QRegularExpression>
#include <QtCore/QSet>

#include <algorithm>
#include <cstdlib>

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

//! The list's current row, as ListView reports it.
QQuickItem *currentRow(QQuickItem *list)
{
    return list->property("currentItem").value<QQuickItem *>();
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

//! What a screen reader reads for \a object: its accessible name (empty if it has no accessible interface).
QString accessibleName(QObject *object)
{
    QAccessibleInterface *iface = object ? QAccessible::queryAccessibleInterface(object) : nullptr;
    return iface ? iface->text(QAccessible::Name) : QString();
}

QAccessible::Role accessibleRole(QObject *object)
{
    QAccessibleInterface *iface = object ? QAccessible::queryAccessibleInterface(object) : nullptr;
    return iface ? iface->role() : QAccessible::NoRole;
}

//! Every visible item under \a root, depth first.
QList<QQuickItem *> visibleItems(QQuickItem *root)
{
    QList<QQuickItem *> found;
    for (QQuickItem *child : root->childItems()) {
        if (!child->isVisible())
            continue;
        found << child;
        found << visibleItems(child);
    }
    return found;
}

QString describe(QQuickItem *item)
{
    return item ? QStringLiteral("%1 \"%2\"").arg(QLatin1String(item->metaObject()->className()), item->objectName())
                : QStringLiteral("nothing");
}

//! Colour distance: the largest difference of one channel.
int distance(QColor a, QColor b)
{
    return std::max({std::abs(a.red() - b.red()), std::abs(a.green() - b.green()), std::abs(a.blue() - b.blue())});
}

//! The colour of the window's own background, in the gap between the work pane and the task list.
QColor backgroundPixel(const QImage &shot, QQuickWindow *window)
{
    const QQuickItem *list = item(window, "taskList");
    const QPointF gap = list->mapToScene(QPointF(-4, list->height() / 2)) * window->devicePixelRatio();
    return shot.pixelColor(gap.toPoint());
}

QImage screenshot(QQuickWindow *window, const char *fileName)
{
    const QImage shot = window->grabWindow().convertToFormat(QImage::Format_RGB32);
    if (shot.isNull())
        return shot;
    const QString path = QDir(QStringLiteral(QTM_ARTIFACT_DIR)).filePath(QLatin1String(fileName));
    if (!shot.save(path))
        qWarning("could not save %s", qPrintable(path));
    qInfo("screenshot: %s", qPrintable(path));
    return shot;
}

//! The dashboard in its window, with its manager, workload and a driver for tasks that wait on the test.
struct Dashboard
{
    qtm::TaskManager manager;
    Workload workload{&manager};
    TaskDriver driver{&manager};
    QQmlApplicationEngine engine;
    QQuickWindow *window = nullptr;
    qtm::TaskListModel *tasks = nullptr;
    QQuickItem *list = nullptr;

    bool load()
    {
        window = loadDashboard(engine, &manager, &workload);
        if (!window || !QTest::qWaitForWindowExposed(window))
            return false;
        // Keys go to the active window: each test's window takes over from the one before.
        window->requestActivate();
        if (!QTest::qWaitForWindowActive(window))
            return false;
        tasks = window->findChild<qtm::TaskListModel *>(QStringLiteral("tasks"));
        list = item(window, "taskList");
        return tasks && list;
    }

    ~Dashboard()
    {
        if (tasks)
            tasks->cancelAll();
        manager.shutdown();
    }
};

//! Sets the default locale for one test and puts the previous one back.
class DefaultLocale
{
public:
    explicit DefaultLocale(const QLocale &locale) { QLocale::setDefault(locale); }
    ~DefaultLocale() { QLocale::setDefault(m_previous); }

private:
    QLocale m_previous;
};

//! Sets the application's palette for one test and puts the previous one back.
class ApplicationPalette
{
public:
    explicit ApplicationPalette(const QPalette &palette) { QGuiApplication::setPalette(palette); }
    ~ApplicationPalette() { QGuiApplication::setPalette(m_previous); }

private:
    QPalette m_previous = QGuiApplication::palette();
};

QPalette darkPalette()
{
    QPalette palette;
    const QColor window(0x20, 0x21, 0x24);
    const QColor base(0x2d, 0x2e, 0x31);
    const QColor text(0xe8, 0xea, 0xed);
    for (QPalette::ColorGroup group : {QPalette::Active, QPalette::Inactive, QPalette::Disabled}) {
        palette.setColor(group, QPalette::Window, window);
        palette.setColor(group, QPalette::WindowText, text);
        palette.setColor(group, QPalette::Base, base);
        palette.setColor(group, QPalette::AlternateBase, window);
        palette.setColor(group, QPalette::Text, text);
        palette.setColor(group, QPalette::Button, base);
        palette.setColor(group, QPalette::ButtonText, text);
        palette.setColor(group, QPalette::Highlight, QColor(0x8a, 0xb4, 0xf8));
        palette.setColor(group, QPalette::HighlightedText, QColor(0x20, 0x21, 0x24));
        palette.setColor(group, QPalette::Mid, QColor(0x5f, 0x63, 0x68));
        palette.setColor(group, QPalette::PlaceholderText, QColor(0x9a, 0xa0, 0xa6));
    }
    return palette;
}

} // namespace

class TestDashboard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void startsTasksCancelsOneAndShowsIt();
    void keyboardMovesTheCurrentRowAndDeleteCancelsIt();
    void tabReachesTheButtons();
    void everyControlHasAnAccessibleName();
    void speaksGermanInAGermanLocale();
    void followsADarkPalette();
    void aGroupsChildrenSitUnderItAndCollapse();
};

void TestDashboard::initTestCase()
{
    if (qEnvironmentVariableIsSet("QTM_XVFB_MISSING"))
        QSKIP("Xvfb is not installed: this test needs a real X display (install the xvfb package)");
    QCOMPARE(QGuiApplication::platformName(), QStringLiteral("xcb"));
    // The English source strings: the tests below read them, whatever locale the machine has.
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

void TestDashboard::startsTasksCancelsOneAndShowsIt()
{
    Dashboard dashboard;
    QVERIFY(dashboard.load());
    QQuickWindow *window = dashboard.window;
    qtm::TaskListModel *tasks = dashboard.tasks;
    QQuickItem *list = dashboard.list;
    Workload &workload = dashboard.workload;
    QCOMPARE(tasks->manager(), &dashboard.manager);

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
    // It reports a range: its row tells the time left at its rate so far (it runs 8 s, cancelled or not).
    QQuickItem *timeLeft = item(legacy, "timeLeftText");
    QVERIFY(timeLeft);
    QTRY_VERIFY_WITH_TIMEOUT(timeLeft->isVisible(), kWait);
    QVERIFY2(timeLeft->property("text").toString().endsWith(QLatin1String(" left")),
             qPrintable(timeLeft->property("text").toString()));
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
    const QImage shot = screenshot(window, "dashboard.png");
    QVERIFY(!shot.isNull());

    QCOMPARE(shot.size(), window->size() * window->devicePixelRatio());
    QSet<QRgb> colors;
    for (int y = 0; y < shot.height(); y += 3) {
        for (int x = 0; x < shot.width(); x += 3)
            colors.insert(shot.pixel(x, y));
    }
    QVERIFY2(colors.size() > 100, qPrintable(QStringLiteral("only %1 colours").arg(colors.size())));
    QVERIFY2(containsColor(shot, qRgb(0xe3, 0x74, 0x00)), "no Cancelled badge in the screenshot");
    QVERIFY2(containsColor(shot, qRgb(0xd9, 0x30, 0x25)), "no Failed badge in the screenshot");
    // The header bar and the background are the palette's (a light one: the default palette).
    const QPalette palette = QGuiApplication::palette();
    QVERIFY2(containsColor(shot, palette.color(QPalette::Highlight).rgb()), "no header bar in the screenshot");
    const QColor background = backgroundPixel(shot, window);
    QVERIFY2(distance(background, palette.color(QPalette::Window)) <= 2,
             qPrintable(QStringLiteral("background %1, palette window %2")
                            .arg(background.name(), palette.color(QPalette::Window).name())));
    QVERIFY(background.lightnessF() > 0.5);
}

void TestDashboard::keyboardMovesTheCurrentRowAndDeleteCancelsIt()
{
    Dashboard dashboard;
    QVERIFY(dashboard.load());
    QQuickItem *list = dashboard.list;
    // Three tasks that wait on the test; the list shows the newest first.
    const quint64 first = dashboard.driver.start(QStringLiteral("thumbnail-10"));
    const quint64 second = dashboard.driver.start(QStringLiteral("thumbnail-11"));
    const quint64 third = dashboard.driver.start(QStringLiteral("thumbnail-12"));
    QTRY_COMPARE_WITH_TIMEOUT(rows(list).size(), 3, kWait);
    for (quint64 id : {first, second, third})
        QTRY_COMPARE_WITH_TIMEOUT(badgeText(rowFor(list, id)), QStringLiteral("Running"), kWait);

    // The list has the keyboard focus from the start, and its first row is the current one, framed.
    QTRY_VERIFY_WITH_TIMEOUT(list->hasActiveFocus(), kWait);
    QTRY_COMPARE_WITH_TIMEOUT(currentRow(list), rowFor(list, third), kWait);
    QVERIFY(rowFor(list, third)->property("current").toBool());
    QCOMPARE(rowFor(list, third)->property("border").value<QObject *>()->property("width").toReal(), 2.0);

    QTest::keyClick(dashboard.window, Qt::Key_Down);
    QTRY_COMPARE_WITH_TIMEOUT(currentRow(list), rowFor(list, second), kWait);
    QVERIFY(rowFor(list, second)->property("current").toBool());
    QVERIFY(!rowFor(list, third)->property("current").toBool());
    QCOMPARE(rowFor(list, third)->property("border").value<QObject *>()->property("width").toReal(), 1.0);
    QTest::keyClick(dashboard.window, Qt::Key_Down);
    QTRY_COMPARE_WITH_TIMEOUT(currentRow(list), rowFor(list, first), kWait);
    QTest::keyClick(dashboard.window, Qt::Key_Up);
    QTRY_COMPARE_WITH_TIMEOUT(currentRow(list), rowFor(list, second), kWait);

    // Delete cancels the current row's task, and only it.
    QTest::keyClick(dashboard.window, Qt::Key_Delete);
    QTRY_COMPARE_WITH_TIMEOUT(dashboard.driver.task(second).state(), qtm::TaskState::Cancelled, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(badgeText(rowFor(list, second)), QStringLiteral("Cancelled"), kWait);
    QCOMPARE(dashboard.driver.task(first).state(), qtm::TaskState::Running);
    QCOMPARE(dashboard.driver.task(third).state(), qtm::TaskState::Running);
    QCOMPARE(dashboard.tasks->cancelledCount(), 1);

    // A click on a row's Cancel button makes that row current and leaves the keyboard in the list.
    click(dashboard.window, item(rowFor(list, first), "cancelButton"));
    QTRY_COMPARE_WITH_TIMEOUT(dashboard.driver.task(first).state(), qtm::TaskState::Cancelled, kWait);
    QCOMPARE(currentRow(list), rowFor(list, first));
    QVERIFY(list->hasActiveFocus());
    QTest::keyClick(dashboard.window, Qt::Key_Up);
    QTRY_COMPARE_WITH_TIMEOUT(currentRow(list), rowFor(list, second), kWait);
    // So does a click anywhere on a row.
    click(dashboard.window, item(rowFor(list, third), "stateBadge"));
    QTRY_COMPARE_WITH_TIMEOUT(currentRow(list), rowFor(list, third), kWait);
    QVERIFY(list->hasActiveFocus());
}

void TestDashboard::tabReachesTheButtons()
{
    Dashboard dashboard;
    QVERIFY(dashboard.load());
    dashboard.driver.start(QStringLiteral("thumbnail-12"));
    QTRY_COMPARE_WITH_TIMEOUT(rows(dashboard.list).size(), 1, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(badgeText(rows(dashboard.list).constFirst()), QStringLiteral("Running"), kWait);
    QTRY_VERIFY_WITH_TIMEOUT(dashboard.list->hasActiveFocus(), kWait);

    // Tab through the whole chain once: from the list round to the list again (ListView gives the active
    // focus on to its current row, so "in the list" is the list's activeFocus).
    QStringList reached;
    for (int i = 0; i < 40; ++i) {
        QTest::keyClick(dashboard.window, Qt::Key_Tab);
        QQuickItem *focused = dashboard.window->activeFocusItem();
        QVERIFY(focused);
        if (dashboard.list->hasActiveFocus())
            break;
        reached << describe(focused);
    }
    QVERIFY2(
        dashboard.list->hasActiveFocus(),
        qPrintable(QStringLiteral("Tab did not come round to the task list: ") + reached.join(QLatin1String(", "))));
    for (const char *name :
         {"startPrimesButton", "startBurstButton", "cancelAllButton", "clearFinishedButton", "searchField"}) {
        QVERIFY2(reached.join(QLatin1Char(' ')).contains(QLatin1Char('"') + QLatin1String(name) + QLatin1Char('"')),
                 qPrintable(QStringLiteral("Tab never reached %1; it reached: %2")
                                .arg(QLatin1String(name), reached.join(QLatin1String(", ")))));
    }

    // The rows' Cancel buttons are left out (Delete on the current row is their keyboard way).
    QVERIFY2(!reached.join(QLatin1Char(' ')).contains(QLatin1String("\"cancelButton\"")), "Tab stopped in a row");

    // Space on a focused button presses it: on "Count primes" it starts a task.
    QQuickItem *primes = item(dashboard.window, "startPrimesButton");
    primes->forceActiveFocus(Qt::TabFocusReason);
    QVERIFY(primes->hasActiveFocus());
    QTest::keyClick(dashboard.window, Qt::Key_Space);
    QTRY_COMPARE_WITH_TIMEOUT(dashboard.tasks->rowCount(), 2, kWait);
}

void TestDashboard::everyControlHasAnAccessibleName()
{
    Dashboard dashboard;
    QVERIFY(dashboard.load());
    const quint64 id = dashboard.driver.start(QStringLiteral("thumbnail-12"));
    QTRY_COMPARE_WITH_TIMEOUT(badgeText(rowFor(dashboard.list, id)), QStringLiteral("Running"), kWait);
    // The row tells what the coroutine waits on and where (the awaiting role).
    QTRY_VERIFY_WITH_TIMEOUT(item(rowFor(dashboard.list, id), "awaitingText")
                                 ->property("text")
                                 .toString()
                                 .contains(QRegularExpression(QStringLiteral(
                                     R"(^waiting on signal posted\(\) of TaskDriver at taskdriver\.h:\d+$)"))),
                             kWait);
    dashboard.driver.progress(id, 2, 5, QStringLiteral("40 %"));
    QQuickItem *row = rowFor(dashboard.list, id);
    QTRY_COMPARE_WITH_TIMEOUT(item(row, "detailText")->property("text").toString(), QStringLiteral("40 %"), kWait);

    // The row's Cancel button names its task; the row reads as one list item.
    QQuickItem *cancel = item(row, "cancelButton");
    QCOMPARE(accessibleName(cancel), QStringLiteral("Cancel thumbnail-12"));
    QCOMPARE(accessibleRole(cancel), QAccessible::Button);
    QCOMPARE(accessibleName(row), QStringLiteral("thumbnail-12, Running, 40 %"));
    QCOMPARE(accessibleRole(row), QAccessible::ListItem);
    QCOMPARE(accessibleName(item(row, "stateBadge")), QStringLiteral("Running"));
    QCOMPARE(accessibleRole(dashboard.list), QAccessible::List);
    QCOMPARE(accessibleName(dashboard.list), QStringLiteral("Task list"));

    QQuickItem *primes = item(dashboard.window, "startPrimesButton");
    QCOMPARE(accessibleName(primes), QStringLiteral("Count primes"));
    QAccessibleInterface *primesInterface = QAccessible::queryAccessibleInterface(primes);
    QVERIFY(primesInterface);
    QVERIFY(primesInterface->text(QAccessible::Description).contains(QLatin1String("40 million")));
    QCOMPARE(accessibleName(item(dashboard.window, "searchField")), QStringLiteral("Filter by name"));
    QCOMPARE(accessibleName(item(dashboard.window, "runningCounter")), QStringLiteral("1 running"));

    // And every visible button and text field of the window has a name at all.
    int controls = 0;
    for (QQuickItem *control : visibleItems(dashboard.window->contentItem())) {
        if (!control->inherits("QQuickAbstractButton") && !control->inherits("QQuickTextField"))
            continue;
        ++controls;
        QVERIFY2(!accessibleName(control).isEmpty(), qPrintable(describe(control) + QStringLiteral(" has no name")));
    }
    // Six action buttons, Cancel all, Clear finished, five filter tabs, the search field, the row's Cancel.
    QVERIFY2(controls >= 15, qPrintable(QStringLiteral("only %1 controls found").arg(controls)));
}

void TestDashboard::speaksGermanInAGermanLocale()
{
#ifndef QTM_DASHBOARD_TRANSLATIONS
    QSKIP("the dashboard was built without Qt Linguist tools, so without translations (install qt6-tools-dev)");
#else
    const DefaultLocale german(QLocale(QLocale::German, QLocale::Germany));
    Dashboard dashboard;
    QVERIFY(dashboard.load());
    QQuickWindow *window = dashboard.window;

    QCOMPARE(window->title(), QStringLiteral("QtTaskManager-Dashboard"));
    QCOMPARE(item(window, "title")->property("text").toString(), QStringLiteral("Aufgaben"));
    QCOMPARE(item(window, "startPrimesButton")->property("text").toString(), QStringLiteral("Primzahlen zählen"));

    // A task's row: its state, its Cancel button and what a screen reader says; the workload's task names.
    const quint64 id = dashboard.driver.start(QStringLiteral("thumbnail-12"));
    QTRY_COMPARE_WITH_TIMEOUT(badgeText(rowFor(dashboard.list, id)), QStringLiteral("Läuft"), kWait);
    QQuickItem *cancel = item(rowFor(dashboard.list, id), "cancelButton");
    QCOMPARE(cancel->property("text").toString(), QStringLiteral("Abbrechen"));
    QCOMPARE(accessibleName(cancel), QStringLiteral("thumbnail-12 abbrechen"));
    const quint64 hash = dashboard.workload.hashChain(500'000'000);
    QTRY_VERIFY_WITH_TIMEOUT(rowFor(dashboard.list, hash), kWait);
    QCOMPARE(rowFor(dashboard.list, hash)->property("taskName").toString(), QStringLiteral("SHA-256-Hash-Kette"));
    click(window, item(rowFor(dashboard.list, hash), "cancelButton"));
    QTRY_COMPARE_WITH_TIMEOUT(badgeText(rowFor(dashboard.list, hash)), QStringLiteral("Abgebrochen"), kWait);

    // The model's own strings (what a coroutine waits on) and a retried task's attempt, in German too.
    const auto retried
        = dashboard.manager.createTask([]() -> qtm::Coro<void> { co_await qtm::sleep(std::chrono::hours(1)); },
                                       {.name = QStringLiteral("upload"), .retry = qtm::RetryPolicy{.maxAttempts = 3}});
    QTRY_VERIFY_WITH_TIMEOUT(rowFor(dashboard.list, retried.id()), kWait);
    QTRY_VERIFY_WITH_TIMEOUT(item(rowFor(dashboard.list, retried.id()), "awaitingText")
                                 ->property("text")
                                 .toString()
                                 .startsWith(QStringLiteral("wartet auf ")),
                             kWait);
    QVERIFY2(item(rowFor(dashboard.list, retried.id()), "kindText")
                 ->property("text")
                 .toString()
                 .contains(QStringLiteral("Versuch 1 von 3")),
             qPrintable(item(rowFor(dashboard.list, retried.id()), "kindText")->property("text").toString()));
    screenshot(window, "dashboard-de.png");
#endif
}

void TestDashboard::aGroupsChildrenSitUnderItAndCollapse()
{
    Dashboard dashboard;
    QVERIFY(dashboard.load());
    QQuickWindow *window = dashboard.window;
    QPromise<void> gate;
    gate.start();
    const auto wait = [future = gate.future()]() -> qtm::Coro<void> { co_await future; };
    auto group = dashboard.manager.createGroup({.name = QStringLiteral("thumbnails"), .maxConcurrent = 2});
    QList<quint64> children;
    for (int i = 0; i < 3; ++i)
        children.append(group.createTask(wait, QStringLiteral("thumbnail %1").arg(i)).id());
    const quint64 unrelated = dashboard.manager.createTask(wait, QStringLiteral("unrelated")).id();
    group.close();
    QTRY_COMPARE_WITH_TIMEOUT(rows(dashboard.list).size(), 5, kWait);

    // Newest first, but a group's children right under it, indented: unrelated, the group, its children.
    const auto y = [&](quint64 id) { return rowFor(dashboard.list, id)->y(); };
    QVERIFY(y(unrelated) < y(group.id()));
    for (const quint64 child : children)
        QVERIFY(y(group.id()) < y(child));
    QTRY_VERIFY_WITH_TIMEOUT(item(rowFor(dashboard.list, children.last()), "detailText")
                                 ->property("text")
                                 .toString()
                                 .startsWith(QStringLiteral("waiting for a slot in group 'thumbnails'")),
                             kWait);

    // The group's row tells its policy and limit; a child with a deadline tells it.
    const QString facts = item(rowFor(dashboard.list, group.id()), "kindText")->property("text").toString();
    QVERIFY2(facts.contains(QStringLiteral("fail fast")) && facts.contains(QStringLiteral("2 at a time")),
             qPrintable(facts));
    const auto bounded = group.createTask(wait, {.name = QStringLiteral("bounded"), .deadline = std::chrono::hours(1)});
    QTRY_VERIFY_WITH_TIMEOUT(rowFor(dashboard.list, bounded.id()), kWait);
    QVERIFY2(
        item(rowFor(dashboard.list, bounded.id()), "kindText")
            ->property("text")
            .toString()
            .contains(QStringLiteral("deadline ") + bounded.deadline().time().toString(QStringLiteral("hh:mm:ss"))),
        qPrintable(item(rowFor(dashboard.list, bounded.id()), "kindText")->property("text").toString()));

    click(window, item(rowFor(dashboard.list, group.id()), "collapseButton"));
    QTRY_COMPARE_WITH_TIMEOUT(rows(dashboard.list).size(), 2, kWait);
    QVERIFY(rowFor(dashboard.list, group.id()));
    QVERIFY(!rowFor(dashboard.list, children.first()));
    click(window, item(rowFor(dashboard.list, group.id()), "collapseButton"));
    QTRY_COMPARE_WITH_TIMEOUT(rows(dashboard.list).size(), 6, kWait);
    screenshot(window, "dashboard-group.png");
    gate.finish();
    QTRY_COMPARE_WITH_TIMEOUT(group.state(), qtm::TaskState::Succeeded, kWait);
}

void TestDashboard::followsADarkPalette()
{
    const QPalette dark = darkPalette();
    const ApplicationPalette applied(dark);
    Dashboard dashboard;
    QVERIFY(dashboard.load());
    QQuickWindow *window = dashboard.window;
    QVERIFY(window->property("dark").toBool());

    // The same work as in the light screenshot: one task cancelled, one failed, others running.
    Workload &workload = dashboard.workload;
    const quint64 victim = workload.hashChain(500'000'000);
    const quint64 waiting = dashboard.driver.start(QStringLiteral("thumbnail-12"));
    dashboard.driver.progress(waiting, 2, 5, QStringLiteral("2 of 5 pages"));
    workload.countPrimes();
    workload.fetchAndMerge();
    workload.importBrokenFile();
    QTRY_COMPARE_WITH_TIMEOUT(rows(dashboard.list).size(), 5, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(badgeText(rowFor(dashboard.list, victim)), QStringLiteral("Running"), kWait);
    click(window, item(rowFor(dashboard.list, victim), "cancelButton"));
    QTRY_COMPARE_WITH_TIMEOUT(dashboard.tasks->cancelledCount(), 1, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(dashboard.tasks->failedCount(), 1, kWait);
    QTRY_COMPARE_WITH_TIMEOUT(badgeText(rowFor(dashboard.list, victim)), QStringLiteral("Cancelled"), kWait);

    QVERIFY(QTest::qWaitForWindowExposed(window));
    const QImage shot = screenshot(window, "dashboard-dark.png");
    QVERIFY(!shot.isNull());
    const QColor background = backgroundPixel(shot, window);
    QVERIFY2(distance(background, dark.color(QPalette::Window)) <= 2,
             qPrintable(QStringLiteral("background %1, palette window %2")
                            .arg(background.name(), dark.color(QPalette::Window).name())));
    QVERIFY(background.lightnessF() < 0.3);
    QVERIFY2(containsColor(shot, dark.color(QPalette::Highlight).rgb()), "no header bar in the palette's colour");
    // A running row's background is the palette's base colour, where its frame leaves it.
    QQuickItem *running = nullptr;
    for (QQuickItem *row : rows(dashboard.list)) {
        if (row->property("taskState").toInt() == int(qtm::TaskState::Running) && !row->property("current").toBool())
            running = row;
    }
    QVERIFY(running);
    const QPointF inside = running->mapToScene(QPointF(running->width() / 2, 4)) * window->devicePixelRatio();
    const QColor rowColor = shot.pixelColor(inside.toPoint());
    QVERIFY2(
        distance(rowColor, dark.color(QPalette::Base)) <= 2,
        qPrintable(QStringLiteral("row %1, palette base %2").arg(rowColor.name(), dark.color(QPalette::Base).name())));
}

QTEST_MAIN(TestDashboard)
#include "tst_dashboard.moc"
