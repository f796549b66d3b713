// Regression stress for races of issue 8, each run for many rounds so that a sanitizer sees them:
// - break 5: a typed task's handle dropped (in the creating thread or another one) while its result is
//   delivered: the last typed reference to a QFutureInterface<int> clears its result store without the
//   future's lock, so no writer may ever leave the application's handle holding the last one.
//
// Sizes: QTM_STRESS_ROUNDS overrides each test's round count (smaller defaults in a sanitizer build).

#include "stresshelpers.h"

#include <qtm/taskmanager.h>

#include <QtConcurrent/QtConcurrentRun>
#include <QtCore/QPromise>
#include <QtTest>

#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

using qtmstress::Counted;
using qtmstress::SignalLog;

namespace {

enum class Kind
{
    Coroutine,
    ThreadControl,
    ThreadPlain,
    ThreadPromise,
    AdoptedConcurrentRun,
};
constexpr int kindCount = 5;

enum class Handles
{
    DroppedAtOnce, //!< the TypedTask is dropped in the creating thread right after createTask()
    DroppedByAnotherThread, //!< handed to a thread that drops it while the manager's loop delivers results
    KeptAndRead, //!< kept; future().result() is read after the task ended
};

qtm::Coro<int> deliverAfterYield(Counted, int value)
{
    co_await qtm::yield();
    co_return value;
}

qtm::Coro<int> deliverAtOnce(Counted, int value)
{
    co_return value;
}

qtm::TypedTask<int> createTyped(qtm::TaskManager &manager, Kind kind, int value)
{
    switch (kind) {
    case Kind::Coroutine:
        return manager.createTask(value % 2 ? deliverAfterYield(Counted(), value) : deliverAtOnce(Counted(), value));
    case Kind::ThreadControl:
        return manager.createTask([counted = Counted(), value](qtm::TaskControl &) { return value; });
    case Kind::ThreadPlain:
        return manager.createTask([counted = Counted(), value] { return value; });
    case Kind::ThreadPromise:
        return manager.createTask([counted = Counted(), value](QPromise<int> &promise) { promise.addResult(value); });
    case Kind::AdoptedConcurrentRun:
        return manager.createTask(QtConcurrent::run([counted = Counted(), value] { return value; }));
    }
    Q_UNREACHABLE();
}

//! A thread that drops the handles it is given, as soon as it gets them.
class Dropper
{
public:
    Dropper()
        : m_thread([this] {
              std::unique_lock lock(m_mutex);
              for (;;) {
                  m_wake.wait(lock, [this] { return !m_queue.empty() || m_done; });
                  if (m_queue.empty())
                      return;
                  std::vector<qtm::TypedTask<int>> batch;
                  batch.swap(m_queue);
                  lock.unlock();
                  batch.clear(); // here: the handles go while the manager's loop may be delivering
                  lock.lock();
              }
          })
    { }
    ~Dropper()
    {
        {
            std::lock_guard lock(m_mutex);
            m_done = true;
        }
        m_wake.notify_one();
        m_thread.join();
    }
    void drop(qtm::TypedTask<int> task)
    {
        {
            std::lock_guard lock(m_mutex);
            m_queue.push_back(std::move(task));
        }
        m_wake.notify_one();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::vector<qtm::TypedTask<int>> m_queue;
    bool m_done = false;
    std::thread m_thread; // last: started once the members it uses exist
};

} // namespace

class tst_Races : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { QCOMPARE(Counted::alive.load(), 0); }

    void typedResultsSurviveTheirHandles_data()
    {
        QTest::addColumn<Handles>("handles");
        QTest::newRow("dropped at once") << Handles::DroppedAtOnce;
        QTest::newRow("dropped by another thread") << Handles::DroppedByAnotherThread;
        QTest::newRow("kept and read after the end") << Handles::KeptAndRead;
    }

    //! Break 5: many typed tasks of every kind, their handles dropped (or kept) while results are delivered;
    //! every task succeeds with its own value, and every result, frame and body is freed.
    void typedResultsSurviveTheirHandles()
    {
        QFETCH(Handles, handles);
#ifdef __SANITIZE_THREAD__
        // When that thread drops the last typed reference after the task's writer let go of its own, the
        // clear is ordered by QFutureInterface's typed reference count, an atomic inside libQt6Core that
        // ThreadSanitizer cannot see: Qt alone reports the same (tests/sanitizers/repro/
        // qt_future_last_reference.cpp). The asan and plain runs check this row; "dropped at once" is the
        // ThreadSanitizer regression (it reported the race in each run before the fix).
        if (handles == Handles::DroppedByAnotherThread)
            QSKIP("ThreadSanitizer cannot see the ordering of a QFuture's last typed reference");
#endif
        const long long rounds = qtmstress::envNumber("QTM_STRESS_ROUNDS", qtmstress::sanitized ? 20 : 40);
        constexpr int perKind = 40;
        long long tasksCreated = 0;

        auto dropper = handles == Handles::DroppedByAnotherThread ? std::make_unique<Dropper>() : nullptr;
        for (long long round = 0; round < rounds; ++round) {
            qtm::TaskManager manager;
            SignalLog log(&manager);
            std::vector<qtm::Task> tasks; // untyped: holds no typed reference to the results
            std::vector<qtm::TypedTask<int>> kept;
            for (int i = 0; i < perKind * kindCount; ++i) {
                qtm::TypedTask<int> typed = createTyped(manager, Kind(i % kindCount), i);
                tasks.push_back(typed);
                if (handles == Handles::DroppedByAnotherThread)
                    dropper->drop(std::move(typed));
                else if (handles == Handles::KeptAndRead)
                    kept.push_back(std::move(typed));
                // Let the loop start and finish tasks while the rest are created and dropped.
                if (i % 7 == 6)
                    QCoreApplication::processEvents();
            }
            tasksCreated += qsizetype(tasks.size());

            QTRY_VERIFY_WITH_TIMEOUT(std::all_of(tasks.cbegin(), tasks.cend(),
                                                 [](const qtm::Task &t) { return t.future().isFinished(); }),
                                     60'000);
            QTRY_COMPARE_WITH_TIMEOUT(manager.taskCount(), 0, 60'000);
            for (const qtm::Task &task : tasks) {
                QVERIFY2(task.state() == qtm::TaskState::Succeeded,
                         qPrintable(QStringLiteral("task #%1 ended in state %2: %3")
                                        .arg(task.id())
                                        .arg(int(task.state()))
                                        .arg(task.errorText())));
                const SignalLog::Entry e = log.entry(task.id());
                QVERIFY(e.terminal == SignalLog::Succeeded);
                QCOMPARE(int(e.finished), 1);
            }
            QVERIFY2(log.violations().isEmpty(), qPrintable(log.violations().join(u'\n')));
            for (std::size_t i = 0; i < kept.size(); ++i) {
                QCOMPARE(kept[i].future().resultCount(), 1);
                QCOMPARE(kept[i].future().result(), int(i));
            }
        }
        dropper.reset();
        // Every frame, body and QtConcurrent call is destroyed (the last ones by the pool, just after their
        // futures finished); the results themselves are checked by the leak checker of the asan run.
        QTRY_COMPARE_WITH_TIMEOUT(Counted::alive.load(), 0, 60'000);
        qtmstress::reportFigures(QStringLiteral("typed results (%1): %2 rounds, %3 tasks, all succeeded")
                                     .arg(QString::fromLatin1(QTest::currentDataTag()))
                                     .arg(rounds)
                                     .arg(tasksCreated));
    }

};

QTEST_GUILESS_MAIN(tst_Races)
#include "tst_races.moc"
