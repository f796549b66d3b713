// A widgets task view in a real window under Xvfb, driven as a user would: a QTableView over a
// TaskTableModel with TaskProgressDelegate, and a Cancel button (a QToolButton with TaskCancelAction). It
// clicks a row and the button, then looks at the window: the texts of the cells and, in the pixels, how
// much of each progress bar is filled. The screenshot is kept as taskview.png in the test's build
// directory.

#include "taskdriver.h"

#include <qtm/widgets/taskcancelaction.h>
#include <qtm/widgets/taskprogressdelegate.h>
#include <qtm/widgets/tasktablemodel.h>

#include <QtCore/QDir>
#include <QtGui/QImage>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QTableView>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QVBoxLayout>
#include <QtWidgets/QWidget>

#include <cstdlib>

using qtm::TaskListModel;
using qtm::TaskState;
using qtm::TaskTableModel;

namespace {

constexpr int kWait = 30000;

int distance(QRgb a, QRgb b)
{
    return std::abs(qRed(a) - qRed(b)) + std::abs(qGreen(a) - qGreen(b)) + std::abs(qBlue(a) - qBlue(b));
}

/*!
 * The fraction of the progress bar painted in \a rect of \a image that is filled: along a line a quarter of
 * the way down (above the bar's text), the share of pixels closer to the palette's highlight colour (the
 * style's fill) than to its base colour (the empty groove).
 */
double filledFraction(const QImage &image, const QRect &rect, const QPalette &palette)
{
    const QRgb fill = palette.color(QPalette::Highlight).rgb();
    const QRgb groove = palette.color(QPalette::Base).rgb();
    const int y = rect.top() + rect.height() / 4 + 1;
    // The bar is inset by the delegate and framed by the style: measure inside the frame.
    const int left = rect.left() + 4;
    const int right = rect.right() - 4;
    int filled = 0;
    for (int x = left; x <= right; ++x)
        filled += distance(image.pixel(x, y), fill) < distance(image.pixel(x, y), groove) ? 1 : 0;
    return double(filled) / double(right - left + 1);
}

} // namespace

class TestTaskView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsSet("QTM_XVFB_MISSING"))
            QSKIP("Xvfb is not installed (Debian: xvfb): the task view needs a real X server");
    }

    void taskViewShowsProgressAndCancels()
    {
        qtm::TaskManager manager;
        TaskDriver driver(&manager);
        TaskTableModel tasks;
        tasks.setManager(&manager);

        QWidget window;
        window.setWindowTitle(QStringLiteral("QtTaskManager — a widgets task view"));
        auto *layout = new QVBoxLayout(&window);
        auto *view = new QTableView(&window);
        view->setModel(&tasks);
        view->setItemDelegateForColumn(TaskTableModel::ProgressColumn, new qtm::TaskProgressDelegate(view));
        view->setSelectionBehavior(QAbstractItemView::SelectRows);
        view->verticalHeader()->hide();
        view->horizontalHeader()->setStretchLastSection(true);
        view->setColumnWidth(TaskTableModel::NameColumn, 200);
        view->setColumnWidth(TaskTableModel::ProgressColumn, 200);
        auto *cancelButton = new QToolButton(&window);
        auto *cancel = new qtm::TaskCancelAction(&tasks, view);
        cancelButton->setDefaultAction(cancel);
        layout->addWidget(view);
        layout->addWidget(cancelButton);
        window.resize(760, 300);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        // Work in each state: a success whose last report was 999 of 1000, work at 42% and one without a
        // range, a failure half way, and a download for the user to cancel.
        const quint64 rendered = driver.start(QStringLiteral("render thumbnails"));
        const quint64 indexing = driver.start(QStringLiteral("index files"));
        const quint64 syncing = driver.start(QStringLiteral("sync mailbox"));
        const quint64 exporting = driver.start(QStringLiteral("export report"));
        const quint64 download = driver.start(QStringLiteral("download update"));
        driver.progress(rendered, 999, 1000);
        driver.succeed(rendered);
        driver.progress(indexing, 42, 100);
        driver.progress(exporting, 50, 100);
        driver.fail(exporting, QStringLiteral("disk full"));
        driver.progress(download, 30, 100);
        TaskListModel *list = tasks.listModel();
        QTRY_VERIFY_WITH_TIMEOUT(
            list->succeededCount() == 1 && list->failedCount() == 1 && list->runningCount() == 3
                && tasks.index(tasks.rowOf(indexing), 0).data(TaskListModel::ProgressValueRole).toInt() == 42
                && tasks.index(tasks.rowOf(download), 0).data(TaskListModel::ProgressValueRole).toInt() == 30,
            kWait);

        // The user clicks the download's row, then the Cancel button.
        QVERIFY(!cancel->isEnabled());
        const QRect downloadRow = view->visualRect(tasks.index(tasks.rowOf(download), TaskTableModel::NameColumn));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, downloadRow.center());
        QTRY_VERIFY_WITH_TIMEOUT(cancel->isEnabled(), kWait);
        QSignalSpy cancelFinished(list, &TaskListModel::cancelFinished);
        QTest::mouseClick(cancelButton, Qt::LeftButton);
        QVERIFY(cancelFinished.wait(kWait));
        QCOMPARE(cancelFinished.at(0).at(0).toULongLong(), download);
        QTRY_COMPARE_WITH_TIMEOUT(list->cancelledCount(), 1, kWait);
        QTRY_VERIFY_WITH_TIMEOUT(!cancel->isEnabled(), kWait);

        // What the cells say.
        const auto text
            = [&tasks](quint64 id, int column) { return tasks.index(tasks.rowOf(id), column).data().toString(); };
        QCOMPARE(text(rendered, TaskTableModel::ProgressColumn), QStringLiteral("100%"));
        QCOMPARE(text(rendered, TaskTableModel::StateColumn), QStringLiteral("Succeeded"));
        QCOMPARE(text(indexing, TaskTableModel::ProgressColumn), QStringLiteral("42%"));
        QCOMPARE(text(syncing, TaskTableModel::ProgressColumn), QString());
        QCOMPARE(text(exporting, TaskTableModel::ErrorColumn), QStringLiteral("disk full"));
        QCOMPARE(text(download, TaskTableModel::StateColumn), QStringLiteral("Cancelled"));

        // What the window shows: the success's bar is full, the 42% bar under half, the failure's half.
        view->clearSelection();
        view->setCurrentIndex({});
        QApplication::processEvents();
        const QImage shot = window.grab().toImage();
        QVERIFY(!shot.isNull());
        const QString picture = QDir(QStringLiteral(QTM_ARTIFACT_DIR)).filePath(QStringLiteral("taskview.png"));
        QVERIFY(shot.save(picture));
        qInfo("screenshot: %s", qPrintable(picture));

        const QImage viewport = view->viewport()->grab().toImage();
        const auto fraction = [&](quint64 id) {
            const QRect cell = view->visualRect(tasks.index(tasks.rowOf(id), TaskTableModel::ProgressColumn));
            const qreal ratio = viewport.devicePixelRatio();
            return filledFraction(viewport, QRect((cell.topLeft() * ratio), cell.size() * ratio).adjusted(2, 2, -2, -2),
                                  view->palette());
        };
        const double full = fraction(rendered);
        const double part = fraction(indexing);
        const double half = fraction(exporting);
        const double none = fraction(syncing);
        qInfo("filled: succeeded %.2f, 42%% %.2f, failed at 50%% %.2f, running without a range %.2f", full, part, half,
              none);
        QVERIFY2(full > 0.95, qPrintable(QStringLiteral("the succeeded task's bar is %1 filled").arg(full)));
        QVERIFY2(part > 0.25 && part < 0.55, qPrintable(QStringLiteral("the 42% bar is %1 filled").arg(part)));
        QVERIFY2(half > 0.35 && half < 0.65, qPrintable(QStringLiteral("the 50% bar is %1 filled").arg(half)));
        QVERIFY2(full > half && half > part, "the bars are not ordered by their percentages");
    }
};

QTEST_MAIN(TestTaskView)
#include "tst_taskview.moc"
