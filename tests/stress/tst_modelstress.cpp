// The QML task model under concurrent load: four threads create and cancel tasks of every kind while the
// model is attached, with QAbstractItemModelTester (fatal mode) checking every change it makes, and the
// model's rowOf() and counters checked against its rows from inside its signals.

#include <qtm/quick/tasklistmodel.h>
#include <qtm/taskmanager.h>

#include <QtCore/QPromise>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QTest>

#include <atomic>
#include <random>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

namespace {

#ifdef QTM_STRESS_SANITIZED
constexpr int kDefaultOperationsPerThread = 1'500;
#else
constexpr int kDefaultOperationsPerThread = 10'000;
#endif

int operationsPerThread()
{
    const int fromEnvironment = qEnvironmentVariableIntValue("QTM_MODEL_STRESS_OPERATIONS");
    return fromEnvironment > 0 ? fromEnvironment : kDefaultOperationsPerThread;
}

} // namespace

class tst_ModelStress : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theModelStaysConsistentWhileThreadsCreateAndCancel()
    {
        qtm::TaskManager manager;
        qtm::TaskListModel model;
        model.setHistoryLength(50); // pruning runs all the time
        model.setManager(&manager);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        // From inside the model's signals: every listed row is where rowOf() says, and the counters count rows.
        int inconsistencies = 0;
        const auto check = [&model, &inconsistencies] {
            int inState[5] = {};
            for (int row = 0; row < model.rowCount(); ++row) {
                const QModelIndex index = model.index(row);
                if (model.rowOf(index.data(qtm::TaskListModel::IdRole).toULongLong()) != row)
                    ++inconsistencies;
                ++inState[int(index.data(qtm::TaskListModel::StateRole).value<qtm::TaskState>())];
            }
            if (inState[int(qtm::TaskState::Pending)] != model.pendingCount()
                || inState[int(qtm::TaskState::Running)] != model.runningCount()
                || inState[int(qtm::TaskState::Succeeded)] != model.succeededCount()
                || inState[int(qtm::TaskState::Failed)] != model.failedCount()
                || inState[int(qtm::TaskState::Cancelled)] != model.cancelledCount())
                ++inconsistencies;
        };
        QObject::connect(&model, &QAbstractItemModel::rowsRemoved, &model, check);
        QObject::connect(&model, &QAbstractItemModel::modelReset, &model, check);
        QObject::connect(&model, &qtm::TaskListModel::countersChanged, &model, check);

        constexpr int kThreads = 4;
        constexpr int kRounds = 20;
        const int perThread = operationsPerThread() / kRounds;
        std::atomic<int> created = 0;
        std::atomic<int> cancelRequests = 0;
        // In rounds, so that the model applies batches while the work of earlier rounds is still finishing
        // and the next round's threads are creating and cancelling.
        for (int round = 0; round < kRounds; ++round) {
            std::atomic<int> threadsDone = 0;
            std::vector<std::thread> threads;
            for (int t = 0; t < kThreads; ++t) {
                threads.emplace_back([&, t] {
                    std::mt19937 random(1234 + 100 * round + t);
                    std::vector<qtm::Task> mine;
                    for (int i = 0; i < perThread; ++i) {
                        switch (random() % 4) {
                        case 0:
                            mine.push_back(manager.createTask([]() -> qtm::Coro<void> { co_await qtm::sleep(1ms); }(),
                                                              QStringLiteral("coroutine")));
                            break;
                        case 1:
                            mine.push_back(manager.createTask(
                                [](qtm::TaskControl &control) {
                                    control.setProgressRange(0, 3);
                                    for (int step = 1; step <= 3 && !control.isCancelled(); ++step)
                                        control.setProgressValue(step);
                                },
                                QStringLiteral("thread")));
                            break;
                        case 2:
                            mine.push_back(manager.createTask([]() -> qtm::Coro<void> { co_await qtm::sleep(24h); }(),
                                                              QStringLiteral("sleeper")));
                            break;
                        default:
                            if (!mine.empty()) {
                                (void)manager.cancelTask(mine[random() % mine.size()], 1s);
                                ++cancelRequests;
                            }
                            continue;
                        }
                        ++created;
                    }
                    ++threadsDone;
                });
            }
            // The model lives in this thread: its loop turns while the threads work.
            const int batchesBefore = model.updateBatches();
            QTRY_COMPARE_WITH_TIMEOUT(threadsDone.load(), kThreads, 600'000);
            for (std::thread &thread : threads)
                thread.join();
            QTRY_VERIFY_WITH_TIMEOUT(model.updateBatches() > batchesBefore, 60'000);
        }

        manager.cancelAllTasks();
        QTRY_VERIFY_WITH_TIMEOUT(manager.taskCount() == 0, 120'000);
        model.flush();
        QTRY_COMPARE_WITH_TIMEOUT(model.succeededTotal() + model.failedTotal() + model.cancelledTotal(), created.load(),
                                  120'000);
        QCOMPARE(model.failedTotal(), 0);
        QCOMPARE(model.runningCount() + model.pendingCount(), 0);
        QVERIFY(model.rowCount() <= 50); // only the history is left
        QCOMPARE(model.finishedCount(), model.rowCount()); // the row counters count the rows
        QCOMPARE(inconsistencies, 0);
        qInfo("model stress: %d tasks from %d threads, %d cancel requests, %d model batches", created.load(), kThreads,
              cancelRequests.load(), model.updateBatches());
    }
};

QTEST_GUILESS_MAIN(tst_ModelStress)
#include "tst_modelstress.moc"
