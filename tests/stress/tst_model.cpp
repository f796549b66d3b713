// Randomized model-based lifecycle test. A random sequence of operations is applied both to a real
// TaskManager and to a small reference model of what must happen; after every step the task states, the
// per-task signal log and the registry must agree. A failing sequence is shrunk (operations dropped while it
// still fails) and reported with its seed.
//
//   QTM_MODEL_SEQUENCES=n   sequences per run (default 1500; 300 in a sanitizer build)
//   QTM_MODEL_SEED=s        run the one sequence of seed s (as printed on failure) instead
//   QTM_MODEL_BASE_SEED=b   seeds b, b+1, ... (default: random, printed)

#include "stresshelpers.h"

#include <qtm/taskmanager.h>

#include <QtCore/QDeadlineTimer>
#include <QtCore/QPromise>
#include <QtCore/QRandomGenerator>
#include <QtCore/QThreadPool>
#include <QtCore/QTimer>
#include <QtTest>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <stdexcept>

using namespace std::chrono_literals;
using qtmstress::Counted;

namespace {

enum class OpType : quint8
{
    CreateCoroutine,
    CreateThread,
    CreateAdopted,
    Progress,
    Complete,
    Fail,
    Cancel,
    CancelWithTimeout,
    CancelTwice,
    DestroyGuard,
    Snapshot,
    DestroyManager
};
const char *const opNames[]
    = {"create coroutine", "create thread",        "create adopted", "progress",      "complete", "fail",
       "cancel",           "cancel with time-out", "cancel twice",   "destroy guard", "snapshot", "destroy manager"};

struct Op
{
    OpType type;
    quint32 a; // which task (modulo the tasks created so far), or which guard
    quint32 b; // a progress value, or the guard a new task is bound to (0: none)
};

QString describe(const std::vector<Op> &ops)
{
    QStringList lines;
    for (const Op &op : ops)
        lines.append(QStringLiteral("%1(%2,%3)").arg(QLatin1String(opNames[int(op.type)])).arg(op.a).arg(op.b));
    return lines.join(QStringLiteral(", "));
}

//! How the test talks to a running task: commands >= 0 report progress, -1 completes, -2 fails.
struct Channel
{
    // Coroutine tasks await one QFuture per command.
    std::optional<QPromise<int>> promise;
    QFuture<int> next()
    {
        promise.emplace();
        promise->start();
        return promise->future();
    }
    // Thread tasks wait on a queue. std::mutex and std::condition_variable rather than QMutex and
    // QWaitCondition: ThreadSanitizer intercepts the pthread calls behind them, while QWaitCondition::wait()
    // releases a QMutex inside uninstrumented Qt, which TSan then reports as a double lock.
    std::mutex mutex;
    std::condition_variable arrived;
    std::deque<int> queue;

    void send(bool thread, int command)
    {
        if (thread) {
            std::lock_guard lock(mutex);
            queue.push_back(command);
            arrived.notify_all();
        } else if (promise) {
            promise->addResult(command);
            promise->finish();
        }
    }
};

qtm::Coro<int> controlled(Counted, std::shared_ptr<Channel> channel, int value)
{
    for (;;) {
        const int command = co_await channel->next();
        if (command == -1)
            co_return value;
        if (command == -2)
            throw std::runtime_error("fail-" + std::to_string(value));
        qtm::this_task::control().setProgressValue(command);
    }
}

int controlledThread(qtm::TaskControl &control, Channel &channel, int value)
{
    std::unique_lock lock(channel.mutex);
    for (;;) {
        // Cooperative: the cancellation flag is polled between waits for a command.
        while (channel.queue.empty()) {
            if (control.isCancelled())
                return -1;
            channel.arrived.wait_for(lock, 5ms);
        }
        const int command = channel.queue.front();
        channel.queue.pop_front();
        if (command == -1)
            return value;
        if (command == -2)
            throw std::runtime_error("fail-" + std::to_string(value));
        control.setProgressValue(command);
    }
}

//! The reference model of one task, and the real handle it is compared with.
struct ModelTask
{
    enum Kind
    {
        Coroutine,
        Thread,
        Adopted
    } kind;
    qtm::Task task;
    std::shared_ptr<Channel> channel;
    std::shared_ptr<QPromise<int>> producer;
    int value;
    int guard; // 0: none
    qtm::TaskState state = qtm::TaskState::Running;
    QString log; // expected signals: C S P s f c F
    int progress = 0;
    bool cancelRequested = false;
    bool dangling = false;
    std::vector<std::pair<QFuture<qtm::CancelOutcome>, std::optional<qtm::CancelOutcome>>> cancels;

    bool live() const { return !qtm::isTerminal(state) && !dangling; }
    void end(qtm::TaskState s, char signal)
    {
        state = s;
        log += QLatin1Char(signal);
        log += QLatin1Char('F');
        for (auto &[future, expected] : cancels) {
            if (!expected) // waiting for the end
                expected = s == qtm::TaskState::Cancelled ? qtm::CancelOutcome::Cancelled
                    : s == qtm::TaskState::Succeeded      ? qtm::CancelOutcome::FinishedAnyway
                                                          : qtm::CancelOutcome::FailedAnyway;
        }
    }
};

class Runner
{
public:
    //! Runs \a ops on a fresh manager; returns the first disagreement, or an empty string.
    QString run(const std::vector<Op> &ops)
    {
        QThreadPool pool;
        pool.setMaxThreadCount(8);
        m_tasks.clear();
        m_actual.clear();
        auto guards = std::vector<QObject *>{nullptr, new QObject, new QObject};
        auto manager = std::make_unique<qtm::TaskManager>();
        manager->setThreadPool(&pool);
        manager->setProgressInterval(0ms);
        connectLog(manager.get());
        QString problem;
        int step = 0;
        for (const Op &op : ops) {
            ++step;
            if (!manager)
                break;
            apply(op, manager, guards, pool);
            problem = settle(manager.get());
            if (!problem.isEmpty()) {
                problem
                    = QStringLiteral("step %1 (%2): %3").arg(step).arg(QLatin1String(opNames[int(op.type)]), problem);
                break;
            }
        }
        // Tear down whatever is left: the manager, then every producer and thread task.
        if (manager) {
            manager->setShutdownTimeout(0ms); // nothing is compared any more; thread tasks end on their own
            manager.reset();
        }
        for (auto &t : m_tasks) {
            if (t.producer)
                t.producer->finish();
        }
        pool.waitForDone();
        for (QObject *guard : guards)
            delete guard;
        m_tasks.clear();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        if (problem.isEmpty() && Counted::alive.load() != 0)
            problem
                = QStringLiteral("%1 coroutine frame(s) or thread bodies never destroyed").arg(Counted::alive.load());
        Counted::alive = 0;
        return problem;
    }

    int steps = 0;

private:
    void connectLog(qtm::TaskManager *manager)
    {
        using M = qtm::TaskManager;
        auto on = [&](auto signal, char c) {
            QObject::connect(manager, signal, manager,
                             [this, c](const qtm::Task &t) { m_actual[t.id()] += QLatin1Char(c); });
        };
        on(&M::taskCreated, 'C');
        on(&M::taskStarted, 'S');
        on(&M::taskProgressChanged, 'P');
        on(&M::taskSucceeded, 's');
        on(&M::taskCancelled, 'c');
        on(&M::taskFinished, 'F');
        QObject::connect(manager, &M::taskFailed, manager,
                         [this](const qtm::Task &t, const QString &) { m_actual[t.id()] += QLatin1Char('f'); });
    }

    ModelTask *pick(quint32 a) { return m_tasks.empty() ? nullptr : &m_tasks[a % m_tasks.size()]; }

    //! \a again: a second cancelTask() right after the first, before the loop turned: the task has not
    //! ended yet, so it is answered like the first.
    void cancel(qtm::TaskManager &manager, ModelTask &t, bool timed, bool again = false)
    {
        std::optional<qtm::CancelOutcome> expected;
        qtm::BaseTaskManager::Timeout timeout;
        if (timed)
            timeout = t.kind == ModelTask::Adopted ? 1ms : 60'000ms;
        if (again && t.state == qtm::TaskState::Cancelled && t.kind != ModelTask::Adopted
            && t.log.endsWith(QLatin1String("cF")) && t.cancels.size() >= 1) {
            t.cancels.emplace_back(manager.cancelTask(t.task, timeout), t.cancels.back().second);
            return;
        }
        if (!t.live()) {
            expected = qtm::CancelOutcome::AlreadyFinished;
        } else if (t.kind == ModelTask::Adopted) {
            // An adopted future ends only when its producer finishes: a time-out comes first.
            t.cancelRequested = true;
            if (timed)
                expected = qtm::CancelOutcome::TimedOut;
        } else {
            t.cancelRequested = true;
        }
        t.cancels.emplace_back(manager.cancelTask(t.task, timeout), expected);
        if (t.live() && t.kind != ModelTask::Adopted)
            t.end(qtm::TaskState::Cancelled, 'c');
    }

    void apply(const Op &op, std::unique_ptr<qtm::TaskManager> &manager, std::vector<QObject *> &guards, QThreadPool &)
    {
        ++steps;
        const auto contextFor = [&](int guard) -> std::optional<qtm::TaskContext> {
            if (!guard)
                return std::nullopt;
            qtm::TaskContext context;
            context.setGuard(guards[guard]);
            if (!guards[guard])
                context = m_deadContexts[guard];
            return context;
        };
        switch (op.type) {
        case OpType::CreateCoroutine:
        case OpType::CreateThread:
        case OpType::CreateAdopted: {
            ModelTask t;
            t.kind = ModelTask::Kind(int(op.type));
            if (t.kind == ModelTask::Thread && liveThreads() >= 6)
                return; // the pool must have a thread for each, so that "started" is certain
            t.value = 1000 + int(m_tasks.size());
            t.guard = int(op.b % 3);
            const auto context = contextFor(t.guard);
            switch (t.kind) {
            case ModelTask::Coroutine:
                t.channel = std::make_shared<Channel>();
                t.task = manager->createTask(controlled(Counted(), t.channel, t.value), {}, context);
                break;
            case ModelTask::Thread:
                t.channel = std::make_shared<Channel>();
                t.task = manager->createTask(
                    [c = Counted(), channel = t.channel, value = t.value](qtm::TaskControl &control) {
                        return controlledThread(control, *channel, value);
                    },
                    {}, context);
                break;
            case ModelTask::Adopted:
                t.producer = std::make_shared<QPromise<int>>();
                t.producer->start();
                t.task = manager->createTask(t.producer->future(), {}, context);
                break;
            }
            if (t.guard && !guards[t.guard]) {
                t.log = QStringLiteral("C");
                t.end(qtm::TaskState::Cancelled, 'c');
            } else {
                t.log = QStringLiteral("CS");
            }
            m_tasks.push_back(std::move(t));
            return;
        }
        case OpType::Progress:
        case OpType::Complete:
        case OpType::Fail: {
            ModelTask *t = pick(op.a);
            if (!t || !t->live())
                return;
            if (t->kind == ModelTask::Adopted) {
                if (op.type == OpType::Progress)
                    return; // an adopted future's progress is its producer's business
                if (op.type == OpType::Complete)
                    t->producer->addResult(t->value);
                else
                    t->producer->setException(std::make_exception_ptr(std::runtime_error("fail")));
                t->producer->finish();
                if (t->cancelRequested)
                    t->end(qtm::TaskState::Cancelled, 'c');
                else if (op.type == OpType::Complete)
                    t->end(qtm::TaskState::Succeeded, 's');
                else
                    t->end(qtm::TaskState::Failed, 'f');
                return;
            }
            const bool thread = t->kind == ModelTask::Thread;
            if (op.type == OpType::Progress) {
                t->progress = int(op.b % 100) + 1;
                t->channel->send(thread, t->progress);
                t->log += QLatin1Char('P');
            } else {
                t->channel->send(thread, op.type == OpType::Complete ? -1 : -2);
                if (op.type == OpType::Complete)
                    t->end(qtm::TaskState::Succeeded, 's');
                else
                    t->end(qtm::TaskState::Failed, 'f');
            }
            return;
        }
        case OpType::Cancel:
        case OpType::CancelWithTimeout:
            if (ModelTask *t = pick(op.a))
                cancel(*manager, *t, op.type == OpType::CancelWithTimeout);
            return;
        case OpType::CancelTwice:
            if (ModelTask *t = pick(op.a)) {
                const bool wasLive = t->live();
                cancel(*manager, *t, false);
                cancel(*manager, *t, op.b % 2 == 1, wasLive);
            }
            return;
        case OpType::DestroyGuard: {
            const int guard = int(op.a % 2) + 1;
            if (!guards[guard])
                return;
            m_deadContexts[guard] = qtm::TaskContext({}, guards[guard]);
            for (ModelTask &t : m_tasks) {
                if (t.guard == guard && t.live()) {
                    t.cancelRequested = true;
                    if (t.kind != ModelTask::Adopted)
                        t.end(qtm::TaskState::Cancelled, 'c');
                }
            }
            delete std::exchange(guards[guard], nullptr);
            return;
        }
        case OpType::Snapshot:
            return; // every step compares the registry
        case OpType::DestroyManager: {
            bool adoptedLive = false;
            for (ModelTask &t : m_tasks) {
                if (!t.live())
                    continue;
                t.cancelRequested = true;
                if (t.kind == ModelTask::Adopted) {
                    adoptedLive = true;
                    t.dangling = true; // its producer holds it: it outlives the manager's wait
                } else {
                    t.end(qtm::TaskState::Cancelled, 'c');
                }
            }
            manager->setShutdownTimeout(adoptedLive ? 300ms : 30s);
            const QList<qtm::Task> dangling = manager->shutdown();
            for (const qtm::Task &task : dangling) {
                // A thread task slower than the short wait is dangling too: it ends on its own, unsignalled.
                for (ModelTask &t : m_tasks) {
                    if (t.task == task && t.kind == ModelTask::Thread && !t.dangling) {
                        t.dangling = true;
                        t.log.chop(2);
                        t.state = qtm::TaskState::Running;
                    }
                }
            }
            m_afterShutdown = dangling;
            manager.reset();
            return;
        }
        }
    }

    int liveThreads() const
    {
        int n = 0;
        for (const ModelTask &t : m_tasks)
            n += t.kind == ModelTask::Thread && t.live();
        return n;
    }

    //! Waits (on events, bounded) until the manager agrees with the model, then says where it does not.
    QString settle(qtm::TaskManager *manager)
    {
        QTimer wake; // thread tasks report through the inbox; this only bounds each wait for an event
        wake.start(5);
        const QDeadlineTimer deadline(20'000);
        QString problem;
        while (!(problem = compare(manager)).isEmpty() && !deadline.hasExpired())
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        return problem;
    }

    QString compare(qtm::TaskManager *manager)
    {
        QList<quint64> expectedLive;
        for (ModelTask &t : m_tasks) {
            const QString actual = m_actual.value(t.task.id());
            const auto name = [&] { return QStringLiteral("task #%1 (%2)").arg(t.task.id()).arg(int(t.kind)); };
            if (actual != t.log)
                return name() + QStringLiteral(": signals '%1', expected '%2'").arg(actual, t.log);
            if (!t.dangling && t.task.state() != t.state)
                return name() + QStringLiteral(": state %1, expected %2").arg(int(t.task.state())).arg(int(t.state));
            if (t.dangling)
                continue; // left running by the manager's shutdown: no more signals, nothing else to check
            if (t.state == qtm::TaskState::Failed && t.kind != ModelTask::Adopted
                && t.task.errorText() != QStringLiteral("fail-%1").arg(t.value))
                return name() + QStringLiteral(": error '%1'").arg(t.task.errorText());
            if (t.live() && t.kind != ModelTask::Adopted && t.task.progressValue() != t.progress && t.progress)
                return name()
                    + QStringLiteral(": progress %1, expected %2").arg(t.task.progressValue()).arg(t.progress);
            if (t.live() && t.task.isCancelRequested() != t.cancelRequested)
                return name() + QStringLiteral(": cancel requested %1").arg(t.task.isCancelRequested());
            for (const auto &[future, expected] : t.cancels) {
                if (expected && (!future.isFinished() || future.result() != *expected))
                    return name()
                        + QStringLiteral(": cancelTask() outcome %1, expected %2")
                              .arg(future.isFinished() ? int(future.result()) : -1)
                              .arg(int(*expected));
                if (!expected && future.isFinished())
                    return name()
                        + QStringLiteral(": cancelTask() resolved (%1) while the task runs").arg(int(future.result()));
            }
            if (t.live())
                expectedLive.append(t.task.id());
        }
        if (manager) {
            QList<quint64> live;
            for (const qtm::Task &task : manager->currentTasks())
                live.append(task.id());
            if (live != expectedLive || manager->taskCount() != expectedLive.size())
                return QStringLiteral("registry %1 (count %2), expected %3")
                    .arg(QDebug::toString(live))
                    .arg(manager->taskCount())
                    .arg(QDebug::toString(expectedLive));
        }
        return {};
    }

    std::vector<ModelTask> m_tasks;
    QHash<quint64, QString> m_actual;
    qtm::TaskContext m_deadContexts[3];
    QList<qtm::Task> m_afterShutdown;
};

std::vector<Op> generate(quint64 seed)
{
    QRandomGenerator random(seed);
    std::vector<Op> ops;
    const int length = 3 + int(random.bounded(22));
    // Weights: creations and completions dominate, the manager's destruction is rare and ends a sequence.
    const int weights[] = {14, 10, 10, 10, 12, 8, 8, 6, 4, 3, 4, 1};
    int total = 0;
    for (int w : weights)
        total += w;
    for (int i = 0; i < length; ++i) {
        int pick = int(random.bounded(total));
        int type = 0;
        while (pick >= weights[type])
            pick -= weights[type++];
        ops.push_back({OpType(type), random.generate(), random.generate()});
        if (OpType(type) == OpType::DestroyManager)
            break;
    }
    return ops;
}

//! Drops operations (chunks, then single ones) while the sequence still fails.
std::vector<Op> shrink(std::vector<Op> ops, QString &problem)
{
    Runner runner;
    for (size_t chunk = ops.size() / 2; chunk >= 1; chunk /= 2) {
        for (size_t start = 0; start + chunk <= ops.size();) {
            std::vector<Op> candidate = ops;
            candidate.erase(candidate.begin() + qsizetype(start), candidate.begin() + qsizetype(start + chunk));
            const QString candidateProblem = candidate.empty() ? QString() : runner.run(candidate);
            if (!candidateProblem.isEmpty()) {
                ops = std::move(candidate);
                problem = candidateProblem;
            } else {
                start += chunk;
            }
        }
    }
    return ops;
}

} // namespace

class tst_Model : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("qtm.tasks.warning=false\nqtm.tasks.info=false"));
    }

    void randomSequencesAgreeWithTheModel()
    {
        const long long only = qtmstress::envNumber("QTM_MODEL_SEED", -1);
        const long long count
            = only >= 0 ? 1 : qtmstress::envNumber("QTM_MODEL_SEQUENCES", qtmstress::sanitized ? 300 : 1500);
        const quint64 base = only >= 0
            ? quint64(only)
            : quint64(qtmstress::envNumber("QTM_MODEL_BASE_SEED", QRandomGenerator::global()->bounded(1'000'000'000)));
        qInfo() << "model: base seed" << base << "sequences" << count;
        Runner runner;
        QElapsedTimer clock;
        clock.start();
        for (long long i = 0; i < count; ++i) {
            const quint64 seed = base + quint64(i);
            const std::vector<Op> ops = generate(seed);
            QString problem = runner.run(ops);
            if (!problem.isEmpty()) {
                const std::vector<Op> shrunk = shrink(ops, problem);
                QFAIL(
                    qPrintable(QStringLiteral("sequence seed %1 disagrees with the model (replay: QTM_MODEL_SEED=%1)\n"
                                              "  %2\n  shrunk from %3 to %4 operation(s): %5")
                                   .arg(seed)
                                   .arg(problem)
                                   .arg(ops.size())
                                   .arg(shrunk.size())
                                   .arg(describe(shrunk))));
            }
        }
        qtmstress::reportFigures(QStringLiteral("model: %1 sequences, %2 operations, in %3 ms (base seed %4)")
                                     .arg(count)
                                     .arg(runner.steps)
                                     .arg(clock.elapsed())
                                     .arg(base));
    }
};

QTEST_GUILESS_MAIN(tst_Model)
#include "tst_model.moc"
