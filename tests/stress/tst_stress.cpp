// Concurrent stress: several threads create, cancel, snapshot and await tasks of all three kinds at once
// while the manager's loop runs, then every task, signal, cancellation and counted object is accounted for.
//
// Sizes: QTM_STRESS_OPERATIONS (total operations over all worker threads) and QTM_STRESS_THREADS override
// the defaults, which are smaller in a sanitizer build (QTM_STRESS_SANITIZED) so that each test stays well
// under a minute even under ThreadSanitizer. QTM_STRESS_SEED fixes the random choices (scheduling stays
// free, so a run is not replayable step by step; the seed is printed with every failure).

#include "stresshelpers.h"

#include <qtm/taskgroup.h>
#include <qtm/taskmanager.h>

#include <QtCore/QEventLoop>
#include <QtCore/QPromise>
#include <QtCore/QRandomGenerator>
#include <QtCore/QSemaphore>
#include <QtCore/QThreadPool>
#include <QtCore/QTimer>
#include <QtTest>

#include <array>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using qtmstress::Counted;
using qtmstress::SignalLog;

namespace {

enum class Intent : quint8
{
    Succeed,
    Fail,
    FailNonStd,
    Abandon
};
enum class Kind : quint8
{
    Coroutine,
    ThreadControl,
    ThreadPlain,
    ThreadPromise,
    Adopted,
    AwaitTask,
    AwaitFuture
};

const char *kindName(Kind kind)
{
    static const char *const names[] = {"coroutine",
                                        "thread(control)",
                                        "thread(plain)",
                                        "thread(promise)",
                                        "adopted future",
                                        "coroutine awaiting a task",
                                        "coroutine awaiting a future"};
    return names[int(kind)];
}

const QString plannedFailure = QStringLiteral("planned failure");

[[noreturn]] void fail(Intent intent)
{
    if (intent == Intent::Fail)
        throw std::runtime_error("planned failure");
    throw 42; // not a std::exception
}

qtm::Coro<int> coroutineWork(Counted, int steps, Intent intent, int value)
{
    for (int i = 0; i < steps; ++i) {
        if (i % 2)
            co_await qtm::yield();
        else
            co_await qtm::sleep(200us);
        qtm::this_task::control().setProgressValue(i);
    }
    if (intent != Intent::Succeed)
        fail(intent);
    co_return value;
}

qtm::Coro<int> awaitTask(Counted, qtm::TypedTask<int> other)
{
    const int value = co_await other;
    co_return value + 1;
}

qtm::Coro<int> awaitFuture(Counted, QFuture<int> future)
{
    co_return co_await future;
}

// Made before any worker starts. A producer's exception reaches the manager through QFutureInterface,
// whose synchronisation is inside Qt, out of ThreadSanitizer's sight: an exception object allocated by a
// worker would be reported as racing with the manager's read of it. Sharing ones made up front keeps the
// runs sanitizer-clean without hiding anything of ours; what is thrown is the same.
const std::exception_ptr kPlannedFailure = std::make_exception_ptr(std::runtime_error("planned failure"));
const std::exception_ptr kPlannedNonStdFailure = std::make_exception_ptr(42);

//! A QPromise standing for work done elsewhere; completed (or abandoned) later by some worker.
struct Producer
{
    std::shared_ptr<QPromise<int>> promise;
    Intent intent;
    int value;

    void complete() const
    {
        switch (intent) {
        case Intent::Succeed:
            promise->addResult(value);
            promise->finish();
            break;
        case Intent::Fail:
            promise->setException(kPlannedFailure);
            promise->finish();
            break;
        case Intent::FailNonStd:
            promise->setException(kPlannedNonStdFailure);
            promise->finish();
            break;
        case Intent::Abandon:
            break; // destroyed unfinished with the last reference: QPromise cancels and finishes it
        }
    }
};

struct Tracked
{
    qtm::TypedTask<int> task;
    Kind kind;
    Intent intent;
    int value;
    qtm::TypedTask<int> awaited; // Kind::AwaitTask
    mutable bool reportedEarly = false;
};

struct CancelCheck
{
    qtm::Task task;
    QFuture<qtm::CancelOutcome> outcome;
    bool timed;
};

//! Everything the workers share; the manager pointer stays valid until every worker has stopped.
struct Shared
{
    qtm::TaskManager *manager = nullptr;
    QSemaphore liveSlots{1500};
    std::atomic<long long> operationsLeft{0};
    std::atomic<long long> operations{0};
    std::atomic<long long> created{0};
    std::atomic<long long> refused{0}; // createTask() on a manager shutting down
    std::atomic<long long> skipped{0}; // creations skipped for want of a live slot
    std::atomic<long long> cancels{0};
    std::atomic<long long> snapshots{0};
    std::atomic<long long> awaits{0};
    std::atomic<bool> stop{false};
    std::atomic<int> running{0};
    QEventLoop *loop = nullptr;
    std::atomic<long long> quitAfterOperations{-1};

    QMutex mutex;
    std::vector<qtm::TypedTask<int>> recent; // a ring of recent tasks any worker may cancel or await
    size_t recentNext = 0;
    std::vector<Producer> producers;
    // Problems by kind (the text up to its colon): how many, and the first few in full.
    QMap<QString, QPair<long long, QStringList>> problems;

    void problem(const QString &text)
    {
        QMutexLocker lock(&mutex);
        auto &[count, examples] = problems[text.section(QLatin1Char(':'), 0, 0)];
        if (++count <= 3)
            examples.append(text);
    }
    QString problemReport()
    {
        QMutexLocker lock(&mutex);
        QStringList lines;
        for (auto it = problems.cbegin(); it != problems.cend(); ++it) {
            lines.append(QStringLiteral("%1 x %2; e.g.").arg(it->first).arg(it.key()));
            for (const QString &example : it->second)
                lines.append(QStringLiteral("    ") + example);
        }
        return lines.join(QLatin1Char('\n'));
    }
};

QString describe(const qtm::Task &task)
{
    return QStringLiteral("task #%1 '%2' (state %3, error '%4', cancel requested %5)")
        .arg(task.id())
        .arg(task.name(), QLatin1String(QMetaEnum::fromType<qtm::TaskState>().valueToKey(int(task.state()))),
             task.errorText())
        .arg(task.isCancelRequested());
}

QString describe(const Tracked &t)
{
    QString text
        = QStringLiteral("%1, a %2 meant to %3")
              .arg(describe(t.task), QLatin1String(kindName(t.kind)))
              .arg(QLatin1String(std::array{"succeed", "fail", "fail (non-std)", "be abandoned"}[int(t.intent)]));
    if (t.kind == Kind::AwaitTask)
        text += QStringLiteral(", awaiting ") + describe(t.awaited);
    return text;
}

//! The outcome a finished task must have had, given what it was meant to do and whether it was cancelled.
QString checkOutcome(const Tracked &t)
{
    const qtm::TaskState state = t.task.state();
    if (!qtm::isTerminal(state))
        return QStringLiteral("not finished: ") + describe(t);
    if (state == qtm::TaskState::Cancelled) {
        if (t.task.isCancelRequested())
            return {};
        if ((t.kind == Kind::Adopted || t.kind == Kind::AwaitFuture) && t.intent == Intent::Abandon)
            return {};
        if (t.kind == Kind::AwaitTask && t.awaited.state() == qtm::TaskState::Cancelled)
            return {};
        return QStringLiteral("cancelled without a cancellation: ") + describe(t);
    }
    if (t.kind == Kind::AwaitTask) {
        const qtm::TaskState awaited = t.awaited.state();
        if (state == qtm::TaskState::Succeeded) {
            if (awaited != qtm::TaskState::Succeeded)
                return QStringLiteral("succeeded though the awaited task did not: ") + describe(t);
            if (t.task.future().result() != t.awaited.future().result() + 1)
                return QStringLiteral("wrong result: ") + describe(t);
            return {};
        }
        if (awaited != qtm::TaskState::Failed || t.awaited.errorText() != t.task.errorText())
            return QStringLiteral("failed, but not with the awaited task's error: ") + describe(t);
        return {};
    }
    switch (t.intent) {
    case Intent::Succeed:
        if (state != qtm::TaskState::Succeeded)
            return QStringLiteral("should have succeeded: ") + describe(t);
        if (t.task.future().result() != t.value)
            return QStringLiteral("wrong result %1: ").arg(t.task.future().result()) + describe(t);
        return {};
    case Intent::Fail:
        if (state != qtm::TaskState::Failed || t.task.errorText() != plannedFailure)
            return QStringLiteral("should have failed with 'planned failure': ") + describe(t);
        return {};
    case Intent::FailNonStd:
        if (state != qtm::TaskState::Failed || t.task.errorText().isEmpty())
            return QStringLiteral("should have failed with a described non-std exception: ") + describe(t);
        return {};
    case Intent::Abandon:
        return QStringLiteral("an abandoned future's task must end cancelled: ") + describe(t);
    }
    return {};
}

QString checkCancel(const CancelCheck &c)
{
    const qtm::CancelOutcome outcome = c.outcome.result();
    const qtm::TaskState state = c.task.state();
    const auto name = [&] {
        return QStringLiteral(" (task #%1 '%2', outcome %3, state %4)")
            .arg(c.task.id())
            .arg(c.task.name())
            .arg(QLatin1String(QMetaEnum::fromType<qtm::CancelOutcome>().valueToKey(int(outcome))))
            .arg(QLatin1String(QMetaEnum::fromType<qtm::TaskState>().valueToKey(int(state))));
    };
    switch (outcome) {
    case qtm::CancelOutcome::TimedOut:
        return c.timed ? QString() : QStringLiteral("TimedOut without a time-out") + name();
    case qtm::CancelOutcome::AlreadyFinished:
        return qtm::isTerminal(state) ? QString() : QStringLiteral("AlreadyFinished for a live task") + name();
    case qtm::CancelOutcome::Cancelled:
        return state == qtm::TaskState::Cancelled ? QString() : QStringLiteral("outcome disagrees with state") + name();
    case qtm::CancelOutcome::FinishedAnyway:
        return state == qtm::TaskState::Succeeded ? QString() : QStringLiteral("outcome disagrees with state") + name();
    case qtm::CancelOutcome::FailedAnyway:
        return state == qtm::TaskState::Failed ? QString() : QStringLiteral("outcome disagrees with state") + name();
    case qtm::CancelOutcome::DeadlineExceeded:
        return state == qtm::TaskState::Cancelled && c.task.cancelReason() == qtm::CancelReason::DeadlineExceeded
            ? QString()
            : QStringLiteral("DeadlineExceeded for a task its deadline did not cancel") + name();
    case qtm::CancelOutcome::Rejected:
        return QStringLiteral("a valid request to its own manager was rejected") + name();
    }
    return QStringLiteral("unknown outcome") + name();
}

class Worker
{
public:
    Worker(Shared &shared, quint64 seed) : m_shared(shared), m_random(seed) { }

    std::vector<Tracked> tracked;
    std::vector<CancelCheck> cancels;
    long long verified = 0;

    void run()
    {
        while (!m_shared.stop.load()) {
            if (m_shared.operationsLeft.fetch_sub(1) <= 0)
                break;
            const long long done = ++m_shared.operations;
            if (done == m_shared.quitAfterOperations.load())
                QMetaObject::invokeMethod(m_shared.loop, "quit", Qt::QueuedConnection);
            step();
            if (done % 512 == 0)
                sweep(false);
        }
    }

    //! Verifies and drops the finished tasks and resolved cancellations; with \a all, everything must be.
    void sweep(bool all)
    {
        std::erase_if(tracked, [&](const Tracked &t) {
            if (!t.task.isFinished()) {
                if (all)
                    m_shared.problem(QStringLiteral("never finished: ") + describe(t));
                return all;
            }
            if (t.kind == Kind::AwaitTask && !t.awaited.isFinished()) {
                // A task's future finishes after its state became terminal, so an awaiting task that was
                // not cancelled cannot have finished first. Checked again once the awaited task ends.
                if (!t.task.isCancelRequested() && !std::exchange(t.reportedEarly, true))
                    m_shared.problem(QStringLiteral("finished before the task it awaited: ") + describe(t));
                if (!all)
                    return false;
            }
            if (const QString problem = checkOutcome(t); !problem.isEmpty())
                m_shared.problem(problem);
            ++verified;
            return true;
        });
        std::erase_if(cancels, [&](const CancelCheck &c) {
            if (!c.outcome.isFinished()) {
                if (all)
                    m_shared.problem(
                        QStringLiteral("a cancelTask() future never resolved for task #%1").arg(c.task.id()));
                return all;
            }
            if (const QString problem = checkCancel(c); !problem.isEmpty())
                m_shared.problem(problem);
            return true;
        });
    }

private:
    int percent() { return int(m_random.bounded(100)); }

    Intent intent(bool canAbandon)
    {
        const int p = percent();
        if (p < 70)
            return Intent::Succeed;
        if (p < 85)
            return Intent::Fail;
        if (p < 95 || !canAbandon)
            return Intent::FailNonStd;
        return Intent::Abandon;
    }

    qtm::TypedTask<int> pickRecent()
    {
        QMutexLocker lock(&m_shared.mutex);
        if (m_shared.recent.empty())
            return {};
        return m_shared.recent[m_random.bounded(quint32(m_shared.recent.size()))];
    }

    void remember(const qtm::TypedTask<int> &task)
    {
        QMutexLocker lock(&m_shared.mutex);
        if (m_shared.recent.size() < 256) {
            m_shared.recent.push_back(task);
        } else {
            m_shared.recent[m_shared.recentNext] = task;
            m_shared.recentNext = (m_shared.recentNext + 1) % 256;
        }
    }

    Producer newProducer(bool canAbandon)
    {
        Producer producer{std::make_shared<QPromise<int>>(), intent(canAbandon), int(m_random.bounded(1000))};
        producer.promise->start();
        return producer;
    }

    void keepProducer(Producer producer)
    {
        QMutexLocker lock(&m_shared.mutex);
        m_shared.producers.push_back(std::move(producer));
    }

    void completeSomeProducer()
    {
        Producer producer;
        {
            QMutexLocker lock(&m_shared.mutex);
            if (m_shared.producers.empty())
                return;
            const auto index = m_random.bounded(quint32(m_shared.producers.size()));
            producer = std::move(m_shared.producers[index]);
            m_shared.producers[index] = std::move(m_shared.producers.back());
            m_shared.producers.pop_back();
        }
        producer.complete();
    }

    void create()
    {
        // Back-pressure: at most so many live tasks, so that memory stays bounded. A worker that finds no
        // slot moves on to another operation (the destruction test stops the loop that frees slots).
        if (!m_shared.liveSlots.tryAcquire(1)) {
            ++m_shared.skipped;
            return;
        }
        const auto kind = Kind(m_random.bounded(7));
        const int value = int(m_random.bounded(1000));
        const int steps = int(m_random.bounded(6));
        qtm::TaskManager &manager = *m_shared.manager;
        Tracked t{{}, kind, Intent::Succeed, value, {}};
        std::optional<Producer> producer;
        try {
            switch (kind) {
            case Kind::Coroutine:
                t.intent = intent(false);
                t.task = manager.createTask(coroutineWork(Counted(), steps, t.intent, value));
                break;
            case Kind::ThreadControl:
                t.intent = intent(false);
                t.task
                    = manager.createTask([counted = Counted(), steps, i = t.intent, value](qtm::TaskControl &control) {
                          for (int s = 0; s < steps * 20; ++s) {
                              if (control.isCancelled())
                                  return -1;
                              control.setProgressValue(s);
                          }
                          if (i != Intent::Succeed)
                              fail(i);
                          return value;
                      });
                break;
            case Kind::ThreadPlain:
                t.intent = intent(false);
                t.task = manager.createTask([counted = Counted(), i = t.intent, value] {
                    if (i != Intent::Succeed)
                        fail(i);
                    return value;
                });
                break;
            case Kind::ThreadPromise:
                t.intent = intent(false);
                t.task = manager.createTask([counted = Counted(), i = t.intent, value](QPromise<int> &promise) {
                    if (promise.isCanceled())
                        return;
                    if (i != Intent::Succeed)
                        fail(i);
                    promise.addResult(value);
                });
                break;
            case Kind::Adopted:
                producer = newProducer(true);
                t.intent = producer->intent;
                t.value = producer->value;
                t.task = manager.createTask(producer->promise->future());
                break;
            case Kind::AwaitTask: {
                // The typed handle: it keeps the awaited result alive (an untyped Task does not).
                t.awaited = pickRecent();
                if (!t.awaited.isValid()) {
                    m_shared.liveSlots.release();
                    return;
                }
                t.task = manager.createTask(awaitTask(Counted(), t.awaited));
                ++m_shared.awaits;
                break;
            }
            case Kind::AwaitFuture:
                producer = newProducer(true);
                t.intent = producer->intent;
                t.value = producer->value;
                t.task = manager.createTask(awaitFuture(Counted(), producer->promise->future()));
                ++m_shared.awaits;
                break;
            }
        } catch (const std::logic_error &) {
            // The manager is shutting down (the destruction tests); anything else is a failure.
            ++m_shared.refused;
            m_shared.liveSlots.release();
            if (!m_shared.manager->isShuttingDown())
                m_shared.problem(QStringLiteral("createTask threw on a manager that is not shutting down"));
            if (producer)
                producer->promise->finish();
            return;
        }
        if (producer)
            keepProducer(std::move(*producer));
        ++m_shared.created;
        remember(t.task);
        tracked.push_back(std::move(t));
    }

    void cancel(bool twice)
    {
        const qtm::Task task = pickRecent();
        if (!task.isValid())
            return;
        for (int i = 0; i < (twice ? 2 : 1); ++i) {
            const bool timed = m_random.bounded(2) == 1;
            const auto timeout
                = timed ? qtm::TaskManager::Timeout(std::chrono::milliseconds(m_random.bounded(20))) : std::nullopt;
            cancels.push_back({task, m_shared.manager->cancelTask(task, timeout), timed});
            ++m_shared.cancels;
        }
    }

    void snapshot()
    {
        ++m_shared.snapshots;
        const QList<qtm::Task> tasks = m_shared.manager->currentTasks();
        const int count = m_shared.manager->taskCount();
        if (count < 0)
            m_shared.problem(QStringLiteral("negative task count"));
        // Ids are handed out in creation order, and the snapshot promises creation order.
        quint64 previous = 0;
        QSet<quint64> seen;
        for (const qtm::Task &task : tasks) {
            if (!task.isValid() || seen.contains(task.id())) {
                m_shared.problem(QStringLiteral("currentTasks() holds an invalid or duplicate task"));
                return;
            }
            seen.insert(task.id());
            if (task.id() < previous) {
                m_shared.problem(QStringLiteral("currentTasks() is not in creation order: task #%1 listed after #%2")
                                     .arg(task.id())
                                     .arg(previous));
                return;
            }
            previous = task.id();
            (void)task.data(); // reading a whole record while it changes
        }
    }

    void step()
    {
        const int p = percent();
        if (p < 40)
            create();
        else if (p < 55)
            cancel(false);
        else if (p < 60)
            cancel(true);
        else if (p < 70)
            snapshot();
        else if (p < 85)
            completeSomeProducer();
        else if (p < 86 && m_random.bounded(50) == 0)
            m_shared.manager->cancelAllTasks();
        else if (const qtm::Task task = pickRecent(); task.isValid())
            (void)task.data();
    }

    Shared &m_shared;
    QRandomGenerator m_random;
};

void completeAllProducers(Shared &shared)
{
    std::vector<Producer> producers;
    {
        QMutexLocker lock(&shared.mutex);
        producers.swap(shared.producers);
    }
    for (const Producer &producer : producers)
        producer.complete();
}

} // namespace

class tst_Stress : public QObject
{
    Q_OBJECT

    quint64 m_seed = 0;
    int m_threads = 4;

    //! Starts the workers; returns them and their threads.
    std::vector<std::unique_ptr<Worker>> startWorkers(Shared &shared, std::vector<std::thread> &threads)
    {
        std::vector<std::unique_ptr<Worker>> workers;
        for (int i = 0; i < m_threads; ++i)
            workers.push_back(std::make_unique<Worker>(shared, m_seed * 1000 + quint64(i)));
        shared.running = m_threads;
        for (auto &worker : workers) {
            threads.emplace_back([&shared, w = worker.get()] {
                w->run();
                if (--shared.running == 0)
                    QMetaObject::invokeMethod(shared.loop, "quit", Qt::QueuedConnection);
            });
        }
        return workers;
    }

    QString failureContext() const
    {
        return QStringLiteral("seed %1 (replay the choices with QTM_STRESS_SEED=%1)").arg(m_seed);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_seed = quint64(qtmstress::envNumber("QTM_STRESS_SEED", QRandomGenerator::global()->bounded(1'000'000)));
        m_threads = int(qtmstress::envNumber("QTM_STRESS_THREADS", 4));
        QVERIFY(m_threads >= 1);
        // Planned failures and time-outs are the point here: keep the log for what is unexpected.
        QLoggingCategory::setFilterRules(QStringLiteral("qtm.tasks.warning=false\nqtm.tasks.info=false"));
        qInfo() << "stress seed" << m_seed << "threads" << m_threads
                << (qtmstress::sanitized ? "(sanitizer build)" : "");
    }

    void init()
    {
        Counted::alive = 0;
        Counted::made = 0;
    }

    //! The main stress: everything at once, then every invariant.
    void concurrentCreateCancelSnapshotAwait()
    {
        const long long operations
            = qtmstress::envNumber("QTM_STRESS_OPERATIONS", qtmstress::sanitized ? 40'000 : 300'000);
        QThreadPool pool;
        pool.setMaxThreadCount(3);
        qtm::TaskManager manager;
        manager.setThreadPool(&pool);
        manager.setProgressInterval(1ms);
        SignalLog log(&manager);
        QEventLoop loop;
        Shared shared;
        shared.manager = &manager;
        shared.loop = &loop;
        shared.operationsLeft = operations;
        connect(
            &manager, &qtm::TaskManager::taskFinished, this, [&] { shared.liveSlots.release(); }, Qt::DirectConnection);

        QElapsedTimer clock;
        clock.start();
        std::vector<std::thread> threads;
        auto workers = startWorkers(shared, threads);
        QTimer::singleShot(100'000, &loop, [&] {
            shared.stop = true;
            loop.quit();
        }); // a bound, not a wait
        loop.exec();
        const bool stoppedInTime = !shared.stop.load();
        shared.stop = true;
        for (auto &thread : threads)
            thread.join();
        QVERIFY2(stoppedInTime,
                 qPrintable(QStringLiteral("the workers did not finish within 100 s; ") + failureContext()));

        completeAllProducers(shared);
        QTRY_VERIFY_WITH_TIMEOUT(manager.taskCount() == 0, 60'000);
        for (auto &worker : workers) {
            for (const CancelCheck &c : worker->cancels)
                QTRY_VERIFY_WITH_TIMEOUT(c.outcome.isFinished(), 30'000);
            worker->sweep(true);
        }
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);

        long long verified = 0;
        for (auto &worker : workers)
            verified += worker->verified;
        QVERIFY2(shared.problems.isEmpty(), qPrintable(shared.problemReport() + QLatin1Char('\n') + failureContext()));
        QVERIFY2(log.violations().isEmpty(), qPrintable(log.violations().join(QLatin1Char('\n'))));
        QVERIFY2(log.unfinished().isEmpty(),
                 qPrintable(QStringLiteral("%1 task(s) without exactly one outcome and one "
                                           "taskFinished; ")
                                .arg(log.unfinished().size())
                            + failureContext()));
        QCOMPARE(log.size(), qsizetype(shared.created.load()));
        QCOMPARE(verified, shared.created.load());
        QCOMPARE(manager.taskCount(), 0);
        QVERIFY(manager.currentTasks().isEmpty());
        QCOMPARE(Counted::alive.load(), 0);

        qtmstress::reportFigures(QStringLiteral("stress: %1 operations by %2 threads in %3 ms: %4 tasks created "
                                                "(%5 awaiting another), %6 cancellations, %7 snapshots, %8 signals; "
                                                "%9 counted objects, all destroyed")
                                     .arg(shared.operations.load())
                                     .arg(m_threads)
                                     .arg(clock.elapsed())
                                     .arg(shared.created.load())
                                     .arg(shared.awaits.load())
                                     .arg(shared.cancels.load())
                                     .arg(shared.snapshots.load())
                                     .arg(log.signalCount())
                                     .arg(Counted::made.load()));
    }

    //! shutdown() while the workers keep creating and cancelling; then the manager is destroyed.
    void shutdownWhileWorkersRun()
    {
        const long long operations
            = qtmstress::envNumber("QTM_STRESS_OPERATIONS", qtmstress::sanitized ? 40'000 : 300'000) / 5;
        QThreadPool pool;
        pool.setMaxThreadCount(3);
        auto manager = std::make_unique<qtm::TaskManager>();
        manager->setThreadPool(&pool);
        manager->setShutdownTimeout(3s);
        SignalLog log(manager.get());
        QEventLoop loop;
        Shared shared;
        shared.manager = manager.get();
        shared.loop = &loop;
        shared.operationsLeft = operations;
        shared.quitAfterOperations = operations / 2;
        connect(
            manager.get(), &qtm::TaskManager::taskFinished, this, [&] { shared.liveSlots.release(); },
            Qt::DirectConnection);

        std::vector<std::thread> threads;
        auto workers = startWorkers(shared, threads);
        QTimer::singleShot(100'000, &loop, [&] {
            shared.stop = true;
            loop.quit();
        });
        loop.exec(); // until half the operations are done
        const QList<qtm::Task> dangling = manager->shutdown(); // the workers are still at it
        QVERIFY(manager->isShuttingDown());
        shared.stop = true;
        for (auto &thread : threads)
            thread.join();
        const QList<qtm::Task> again = manager->shutdown();
        QCOMPARE(again, dangling);
        manager.reset();

        accountForEverything(shared, workers, log, dangling);
        qtmstress::reportFigures(QStringLiteral("shutdown under load: %1 operations, %2 tasks created, %3 refused "
                                                "while shutting down, %4 dangling")
                                     .arg(shared.operations.load())
                                     .arg(shared.created.load())
                                     .arg(shared.refused.load())
                                     .arg(dangling.size()));
    }

    //! The manager destroyed outright while tasks of every kind are queued, running and suspended.
    void destroyWithTasksInFlight()
    {
        const long long operations
            = qtmstress::envNumber("QTM_STRESS_OPERATIONS", qtmstress::sanitized ? 40'000 : 300'000) / 5;
        QThreadPool pool;
        pool.setMaxThreadCount(3);
        auto manager = std::make_unique<qtm::TaskManager>();
        manager->setThreadPool(&pool);
        manager->setShutdownTimeout(3s);
        SignalLog log(manager.get());
        QEventLoop loop;
        Shared shared;
        shared.manager = manager.get();
        shared.loop = &loop;
        shared.operationsLeft = operations;
        connect(
            manager.get(), &qtm::TaskManager::taskFinished, this, [&] { shared.liveSlots.release(); },
            Qt::DirectConnection);

        std::vector<std::thread> threads;
        shared.quitAfterOperations = operations / 2;
        auto workers = startWorkers(shared, threads);
        QTimer::singleShot(100'000, &loop, [&] {
            shared.stop = true;
            loop.quit();
        });
        loop.exec();
        // The second half runs with the loop stopped, so that tasks pile up queued and unstarted.
        for (auto &thread : threads)
            thread.join();
        const int liveAtDestruction = manager->taskCount();
        manager.reset(); // no event processed since the workers stopped: much is still queued

        accountForEverything(shared, workers, log, {}, Ending::Destroyed);
        qtmstress::reportFigures(QStringLiteral("destroyed in flight: %1 operations, %2 tasks created, %3 live at "
                                                "destruction")
                                     .arg(shared.operations.load())
                                     .arg(shared.created.load())
                                     .arg(liveAtDestruction));
    }

    /*!
     * Groups with every policy, their own limits and deadlines, nested groups, children with retries and
     * deadlines, behind a manager-wide limit, created and cancelled by several threads at once. Checked at
     * every signal: no group holds more children running than its limit, the manager never more tasks
     * than its own, a group ends only after each of its children did; and at the end every task emitted
     * exactly one outcome and one taskFinished, and nothing leaked.
     */
    void groupsLimitsDeadlinesAndRetries()
    {
        const int rounds = int(qtmstress::envNumber("QTM_STRESS_GROUP_ROUNDS", qtmstress::sanitized ? 60 : 400));
        constexpr int managerLimit = 3;
        QThreadPool pool;
        pool.setMaxThreadCount(3);
        qtm::TaskManager manager;
        manager.setThreadPool(&pool);
        manager.setMaxConcurrentTasks(managerLimit);
        SignalLog log(&manager);

        // What the loop's slots check against; written by the workers before any child of the group exists.
        QMutex mutex;
        QHash<quint64, int> groupLimits; // group id -> its maxConcurrent
        QHash<quint64, int> runningIn; // group id -> its children running now
        int runningTasks = 0; // non-group tasks running now
        QStringList problems;
        std::atomic<long long> created{0}, groups{0}, cancels{0}, refused{0};
        const auto problem = [&](const QString &text) {
            if (problems.size() < 10)
                problems.append(text);
        };
        connect(&manager, &qtm::TaskManager::taskStarted, this, [&](const qtm::Task &task) {
            const QMutexLocker lock(&mutex);
            if (task.kind() != qtm::TaskKind::Group && ++runningTasks > managerLimit)
                problem(QStringLiteral("%1 tasks running, above the manager's limit").arg(runningTasks));
            if (const quint64 group = task.groupId()) {
                const int limit = groupLimits.value(group);
                if (++runningIn[group] > limit && limit > 0)
                    problem(QStringLiteral("group #%1 runs %2 children, above its limit of %3")
                                .arg(group)
                                .arg(runningIn[group])
                                .arg(limit));
            }
        });
        connect(&manager, &qtm::TaskManager::taskFinished, this, [&](const qtm::Task &task) {
            const QMutexLocker lock(&mutex);
            if (task.startedAt().isValid()) {
                if (task.kind() != qtm::TaskKind::Group)
                    --runningTasks;
                if (const quint64 group = task.groupId())
                    --runningIn[group];
            }
            if (task.kind() == qtm::TaskKind::Group) {
                for (const qtm::Task &child : qtm::detail::groupChildren(task)) {
                    if (!child.isFinished() || log.entry(child.id()).finished != 1)
                        problem(QStringLiteral("group #%1 ended before its child #%2").arg(task.id()).arg(child.id()));
                }
            }
        });

        const auto work = [&](quint64 seed) {
            QRandomGenerator random(seed);
            const auto child = [&](const qtm::TaskGroup<int> &group) {
                const bool fails = random.bounded(100) < 20;
                const int sleepUs = int(random.bounded(2000));
                qtm::TaskOptions options;
                if (random.bounded(100) < 25)
                    options.retry = qtm::RetryPolicy{.maxAttempts = 1 + int(random.bounded(3)),
                                                     .initialDelay = std::chrono::milliseconds(random.bounded(3))};
                if (random.bounded(100) < 15)
                    options.deadline = std::chrono::milliseconds(random.bounded(5));
                options.priority = int(random.bounded(3));
                if (random.bounded(2) == 0) {
                    auto failuresLeft = std::make_shared<std::atomic<int>>(fails ? 1 + int(random.bounded(3)) : 0);
                    group.createTask(
                        [counted = Counted(), failuresLeft, sleepUs]() -> qtm::Coro<int> {
                            co_await qtm::sleep(std::chrono::microseconds(sleepUs));
                            if (failuresLeft->fetch_sub(1) > 0)
                                throw std::runtime_error("planned failure");
                            co_return 1;
                        },
                        std::move(options));
                } else {
                    group.createTask(
                        [counted = Counted(), fails, sleepUs](qtm::TaskControl &control) {
                            const QDeadlineTimer until{std::chrono::microseconds(sleepUs)};
                            while (!until.hasExpired() && !control.isCancelled())
                                QThread::yieldCurrentThread();
                            if (fails)
                                throw std::runtime_error("planned failure");
                            return 1;
                        },
                        std::move(options));
                }
                ++created; // not reached when the group refused it
            };
            for (int round = 0; round < rounds; ++round) {
                const auto policy = qtm::GroupPolicy(random.bounded(4));
                const int limit = int(random.bounded(4)); // 0: none of its own
                std::optional<std::chrono::milliseconds> deadline;
                if (random.bounded(100) < 20)
                    deadline = std::chrono::milliseconds(random.bounded(10));
                auto group = manager.createGroup<int>({.policy = policy, .maxConcurrent = limit, .deadline = deadline});
                {
                    const QMutexLocker lock(&mutex);
                    groupLimits.insert(group.id(), limit);
                }
                ++groups;
                ++created;
                const int count = 1 + int(random.bounded(8));
                for (int i = 0; i < count; ++i) {
                    try {
                        if (random.bounded(100) < 10) {
                            auto inner = group.createGroup<int>({.maxConcurrent = int(random.bounded(3))});
                            {
                                const QMutexLocker lock(&mutex);
                                groupLimits.insert(inner.id(), inner.maxConcurrent());
                            }
                            ++groups;
                            ++created;
                            for (int j = 0; j < 3; ++j)
                                child(inner);
                            inner.close();
                        } else {
                            child(group);
                        }
                    } catch (const std::logic_error &) {
                        ++refused; // the group ended or stopped meanwhile (its deadline, its policy, a cancel)
                    }
                    if (random.bounded(100) < 8) {
                        const QList<qtm::Task> siblings = group.children();
                        if (!siblings.isEmpty()) {
                            const auto outcome = manager.cancelTask(siblings[random.bounded(quint32(siblings.size()))]);
                            ++cancels;
                        }
                    }
                }
                if (random.bounded(100) < 10) {
                    const auto outcome = manager.cancelTask(group);
                    ++cancels;
                }
                group.close();
            }
        };

        QElapsedTimer clock;
        clock.start();
        std::vector<std::thread> threads;
        std::atomic<int> running{m_threads};
        for (int i = 0; i < m_threads; ++i)
            threads.emplace_back([&, i] {
                work(m_seed * 7919 + quint64(i));
                --running;
            });
        QTRY_VERIFY_WITH_TIMEOUT(running.load() == 0, 120'000);
        for (auto &thread : threads)
            thread.join();
        QTRY_VERIFY_WITH_TIMEOUT(manager.taskCount() == 0, 60'000);

        QVERIFY2(problems.isEmpty(),
                 qPrintable(problems.join(QLatin1Char('\n')) + QLatin1Char('\n') + failureContext()));
        QVERIFY2(log.violations().isEmpty(), qPrintable(log.violations().join(QLatin1Char('\n'))));
        QVERIFY2(log.unfinished().isEmpty(),
                 qPrintable(QStringLiteral("%1 task(s) without exactly one outcome and one taskFinished; ")
                                .arg(log.unfinished().size())
                            + failureContext()));
        QCOMPARE(log.size(), qsizetype(created.load()));
        QCOMPARE(runningTasks, 0);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QTRY_COMPARE_WITH_TIMEOUT(Counted::alive.load(), 0, 30'000);
        qtmstress::reportFigures(QStringLiteral("groups: %1 groups (nested ones included) with %2 children by %3 "
                                                "threads in %4 ms, %5 cancellations, %6 children refused by a "
                                                "group that had ended or was stopping")
                                     .arg(groups.load())
                                     .arg(created.load() - groups.load())
                                     .arg(m_threads)
                                     .arg(clock.elapsed())
                                     .arg(cancels.load())
                                     .arg(refused.load()));
    }

private:
    enum class Ending
    {
        ShutDown, //!< shutdown() was called: every task it ended emitted its signals
        Destroyed, //!< the manager was destroyed: what the destructor ended emitted nothing (documented)
    };

    //! After the manager is gone: every task either emitted its outcome and taskFinished, or was ended by
    //! the destructor (which emits no signal), or was left dangling and finishes on its own once its
    //! producer or function ends; nothing leaks.
    void accountForEverything(Shared &shared, std::vector<std::unique_ptr<Worker>> &workers, const SignalLog &log,
                              const QList<qtm::Task> &dangling, Ending ending = Ending::ShutDown)
    {
        completeAllProducers(shared);
        QSet<quint64> danglingIds;
        for (const qtm::Task &task : dangling)
            danglingIds.insert(task.id());
        const auto unfinishedTasks = [&] {
            QStringList names;
            for (auto &worker : workers) {
                for (const Tracked &t : worker->tracked) {
                    if (!t.task.isFinished())
                        names.append(describe(t));
                }
            }
            return names;
        };
        (void)QTest::qWaitFor([&] { return unfinishedTasks().isEmpty(); }, 20'000);
        const QStringList unfinished = unfinishedTasks();
        QVERIFY2(unfinished.isEmpty(),
                 qPrintable(QStringLiteral("%1 task(s) never finished, e.g. %2; ")
                                .arg(unfinished.size())
                                .arg(unfinished.mid(0, 3).join(QStringLiteral("; ")))
                            + failureContext()));
        for (auto &worker : workers) {
            for (const Tracked &t : worker->tracked) {
                const SignalLog::Entry e = log.entry(t.task.id());
                const bool signalled = e.terminals == 1 && e.finished == 1;
                if (!signalled && ending == Ending::Destroyed) {
                    // Ended by the destructor: no signal at all, not half of them, and a final state and a
                    // finished future all the same.
                    QVERIFY2(e.terminals == 0 && e.finished == 0,
                             qPrintable(QStringLiteral("a task got part of its signals: ") + describe(t)));
                    QVERIFY2(
                        t.task.isFinished() && t.task.future().isFinished(),
                        qPrintable(QStringLiteral("ended by the destructor without a final state: ") + describe(t)));
                } else if (!signalled) {
                    // Without signals, the task must have been dangling, and never a coroutine: a coroutine
                    // frame is always destroyed by the manager.
                    QVERIFY2(t.kind != Kind::Coroutine && t.kind != Kind::AwaitTask && t.kind != Kind::AwaitFuture,
                             qPrintable(QStringLiteral("a coroutine task ended without its signals: ") + describe(t)));
                    if (!dangling.isEmpty() || !danglingIds.isEmpty())
                        QVERIFY2(danglingIds.contains(t.task.id()),
                                 qPrintable(QStringLiteral("neither signalled nor dangling: ") + describe(t)));
                } else {
                    QCOMPARE(e.terminal, qtmstress::terminalOf(t.task.state()));
                }
            }
            for (const CancelCheck &c : worker->cancels)
                QTRY_VERIFY2_WITH_TIMEOUT(
                    c.outcome.isFinished(),
                    qPrintable(QStringLiteral("cancelTask() future of task #%1 never resolved").arg(c.task.id())),
                    30'000);
            worker->cancels.clear();
        }
        QVERIFY2(log.violations().isEmpty(), qPrintable(log.violations().join(QLatin1Char('\n'))));
        for (auto &worker : workers)
            worker->tracked.clear();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QTRY_COMPARE_WITH_TIMEOUT(Counted::alive.load(), 0, 30'000);
    }
};

QTEST_GUILESS_MAIN(tst_Stress)
#include "tst_stress.moc"
