// Faults and bad input: exceptions of every shape from every kind of task, objects dying at the worst
// moment, and the table of invalid calls. Each is reported (a signal, an exception to the caller) and none
// crashes, hangs or leaks; the sanitizer presets run this suite too.

#include "stresshelpers.h"

#include <qtm/taskmanager.h>

#include <QtCore/QPointer>
#include <QtCore/QPromise>
#include <QtCore/QThread>
#include <QtTest>

#include <functional>
#include <memory>
#include <stdexcept>
#include <thread>

using namespace std::chrono_literals;
using qtmstress::Counted;
using qtmstress::SignalLog;

namespace {

struct NotAnException
{
    int code = 7;
};

enum class Shape
{
    StdException,
    Int,
    QStringValue,
    CString,
    CustomType
};

[[noreturn]] void throwShape(Shape shape)
{
    switch (shape) {
    case Shape::StdException:
        throw std::runtime_error("boom");
    case Shape::Int:
        throw 42;
    case Shape::QStringValue:
        throw QStringLiteral("a QString was thrown");
    case Shape::CString:
        throw "a C string was thrown";
    case Shape::CustomType:
        throw NotAnException{};
    }
    throw 0;
}

std::exception_ptr shapeAsPointer(Shape shape)
{
    try {
        throwShape(shape);
    } catch (...) {
        return std::current_exception();
    }
}

QString expectedText(Shape shape)
{
    switch (shape) {
    case Shape::StdException:
        return QStringLiteral("boom");
    case Shape::QStringValue:
        return QStringLiteral("a QString was thrown");
    case Shape::CString:
        return QStringLiteral("a C string was thrown");
    default:
        return {}; // any non-empty description
    }
}

qtm::Coro<int> throwingCoroutine(Counted, Shape shape)
{
    co_await qtm::yield();
    throwShape(shape);
    co_return 0;
}

qtm::Coro<int> sleepForever(Counted)
{
    co_await qtm::sleep(std::chrono::hours(1));
    co_return 1;
}

qtm::Coro<int> answer(Counted)
{
    co_await qtm::yield();
    co_return 42;
}

} // namespace

Q_DECLARE_METATYPE(Shape)

class tst_Faults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("qtm.tasks.warning=false\nqtm.tasks.info=false"));
    }

    void init() { Counted::alive = 0; }
    void cleanup()
    {
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QCOMPARE(Counted::alive.load(), 0);
    }

    void anExceptionOfAnyShapeFromAnyKindOfTaskIsReportedAsAFailure_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<Shape>("shape");
        const char *kinds[] = {"coroutine", "thread(control)", "thread(plain)", "thread(promise)", "adopted"};
        const std::pair<const char *, Shape> shapes[] = {{"std::exception", Shape::StdException},
                                                         {"int", Shape::Int},
                                                         {"QString", Shape::QStringValue},
                                                         {"const char*", Shape::CString},
                                                         {"custom type", Shape::CustomType}};
        for (int kind = 0; kind < 5; ++kind) {
            for (const auto &[name, shape] : shapes)
                QTest::addRow("%s throws %s", kinds[kind], name) << kind << shape;
        }
    }

    void anExceptionOfAnyShapeFromAnyKindOfTaskIsReportedAsAFailure()
    {
        QFETCH(int, kind);
        QFETCH(Shape, shape);
        qtm::TaskManager manager;
        SignalLog log(&manager, true);
        qtm::Task task;
        QPromise<int> producer;
        switch (kind) {
        case 0:
            task = manager.createTask(throwingCoroutine(Counted(), shape));
            break;
        case 1:
            task = manager.createTask([c = Counted(), shape](qtm::TaskControl &) -> int { throwShape(shape); });
            break;
        case 2:
            task = manager.createTask([c = Counted(), shape]() -> int { throwShape(shape); });
            break;
        case 3:
            task = manager.createTask([c = Counted(), shape](QPromise<int> &) { throwShape(shape); });
            break;
        case 4:
            producer.start();
            task = manager.createTask(producer.future());
            QTRY_COMPARE(task.state(), qtm::TaskState::Running);
            producer.setException(shapeAsPointer(shape));
            producer.finish();
            break;
        }
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), 10'000);
        QCOMPARE(task.state(), qtm::TaskState::Failed);
        QVERIFY(task.exception());
        const QString expected = expectedText(shape);
        if (expected.isEmpty())
            QVERIFY(!task.errorText().isEmpty());
        else
            QCOMPARE(task.errorText(), expected);
        QCOMPARE(log.error(task.id()), task.errorText());
        QCOMPARE(log.entry(task.id()).terminal, SignalLog::Failed);
        QVERIFY(log.violations().isEmpty());
        QVERIFY(log.unfinished().isEmpty());
    }

    void anExceptionThrownDuringCancellationCleanupIsReported()
    {
        qtm::TaskManager manager;
        SignalLog log(&manager, true);
        auto coroutine = manager.createTask([](Counted) -> qtm::Coro<int> {
            try {
                co_await qtm::sleep(std::chrono::hours(1));
            } catch (const qtm::CancelledError &) {
                throw std::runtime_error("cleanup failed");
            }
            co_return 0;
        }(Counted()));
        std::atomic<bool> started{false};
        auto thread = manager.createTask([c = Counted(), &started](qtm::TaskControl &control) -> int {
            started = true;
            while (!control.isCancelled())
                QThread::yieldCurrentThread();
            throw NotAnException{}; // not a std::exception, thrown while cleaning up after the cancellation
        });
        QTRY_COMPARE(coroutine.state(), qtm::TaskState::Running);
        QTRY_VERIFY(started.load());
        auto coroutineOutcome = manager.cancelTask(coroutine);
        auto threadOutcome = manager.cancelTask(thread, 30s);
        QTRY_VERIFY_WITH_TIMEOUT(coroutineOutcome.isFinished() && threadOutcome.isFinished(), 30'000);
        QCOMPARE(coroutineOutcome.result(), qtm::CancelOutcome::FailedAnyway);
        QCOMPARE(threadOutcome.result(), qtm::CancelOutcome::FailedAnyway);
        QCOMPARE(coroutine.state(), qtm::TaskState::Failed);
        QCOMPARE(coroutine.errorText(), QStringLiteral("cleanup failed"));
        QCOMPARE(thread.state(), qtm::TaskState::Failed);
        QVERIFY(log.violations().isEmpty());
    }

    void aGuardDestroyedWhileItsTasksAreMidAwaitCancelsThemAll()
    {
        qtm::TaskManager manager;
        SignalLog log(&manager);
        auto *guard = new QObject;
        QObject sender;
        QPromise<int> producer;
        producer.start();
        const qtm::TaskContext context({}, guard);
        const QList<qtm::Task> coroutines{
            manager.createTask(sleepForever(Counted()), QStringLiteral("sleeping"), context),
            manager.createTask(
                [](Counted, QFuture<int> f) -> qtm::Coro<int> { co_return co_await f; }(Counted(), producer.future()),
                QStringLiteral("awaiting a future"), context),
            manager.createTask(
                [](Counted, QObject *s) -> qtm::Coro<void> {
                    co_await qtm::signal(s, &QObject::objectNameChanged);
                }(Counted(), &sender),
                QStringLiteral("awaiting a signal"), context),
        };
        auto thread = manager.createTask(
            [c = Counted()](qtm::TaskControl &control) {
                while (!control.isCancelled())
                    QThread::yieldCurrentThread();
            },
            QStringLiteral("looping"), context);
        for (const qtm::Task &task : coroutines)
            QTRY_COMPARE(task.state(), qtm::TaskState::Running);
        QTRY_COMPARE(thread.state(), qtm::TaskState::Running);
        QTest::qWait(0);

        delete guard;
        for (const qtm::Task &task : coroutines) // unwound inside the guard's destruction, not a turn later
            QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        QTRY_COMPARE_WITH_TIMEOUT(thread.state(), qtm::TaskState::Cancelled, 30'000);
        QVERIFY(producer.isCanceled());
        QTRY_COMPARE(manager.taskCount(), 0);
        QVERIFY(log.violations().isEmpty());
        QVERIFY(log.unfinished().isEmpty());
        // A task created with the dead guard's context is cancelled without running.
        auto late = manager.createTask(answer(Counted()), QStringLiteral("late"), context);
        QTRY_VERIFY(late.isFinished());
        QCOMPARE(late.state(), qtm::TaskState::Cancelled);
        QCOMPARE(log.entry(late.id()).started, 0);
    }

    void anAwaitedFutureWhoseProducerIsDestroyedUnfinishedEndsTheTask()
    {
        qtm::TaskManager manager;
        SignalLog log(&manager);
        auto producer = std::make_unique<QPromise<int>>();
        producer->start();
        auto awaiting = manager.createTask(
            [](Counted, QFuture<int> f) -> qtm::Coro<int> { co_return co_await f; }(Counted(), producer->future()),
            QStringLiteral("awaiting"));
        auto adopted = manager.createTask(producer->future(), QStringLiteral("adopted"));
        QTRY_COMPARE(awaiting.state(), qtm::TaskState::Running);
        QTRY_COMPARE(adopted.state(), qtm::TaskState::Running);
        producer.reset(); // QPromise's destructor cancels and finishes what it never finished
        QTRY_VERIFY_WITH_TIMEOUT(awaiting.isFinished() && adopted.isFinished(), 10'000);
        // Documented: awaiting a future that was cancelled throws CancelledError.
        QCOMPARE(awaiting.state(), qtm::TaskState::Cancelled);
        QCOMPARE(adopted.state(), qtm::TaskState::Cancelled);
        QVERIFY(log.unfinished().isEmpty());
    }

    void aSignalAwaitedOnAnObjectDeletedBeforeItEmitsFailsTheTask()
    {
        qtm::TaskManager manager;
        SignalLog log(&manager, true);
        auto *sender = new QObject;
        auto untimed = manager.createTask([](Counted, QObject *s) -> qtm::Coro<void> {
            co_await qtm::signal(s, &QObject::objectNameChanged);
        }(Counted(), sender));
        auto timed = manager.createTask([](Counted, QObject *s) -> qtm::Coro<void> {
            (void)co_await qtm::signal(s, &QObject::objectNameChanged, std::chrono::hours(1));
        }(Counted(), sender));
        QTRY_COMPARE(untimed.state(), qtm::TaskState::Running);
        QTRY_COMPARE(timed.state(), qtm::TaskState::Running);
        QTest::qWait(0);
        delete sender;
        QTRY_VERIFY_WITH_TIMEOUT(untimed.isFinished() && timed.isFinished(), 10'000);
        QCOMPARE(untimed.state(), qtm::TaskState::Failed);
        QCOMPARE(timed.state(), qtm::TaskState::Failed);
        QVERIFY(untimed.errorText().contains(QStringLiteral("destroyed")));

        // Deleted after the coroutine started but before it reaches the co_await (it yields first).
        auto *early = new QObject;
        auto before = manager.createTask([](Counted, QObject *s) -> qtm::Coro<void> {
            auto wait = qtm::signal(s, &QObject::objectNameChanged); // taken while the sender lives
            co_await qtm::yield();
            co_await std::move(wait);
        }(Counted(), early));
        QTRY_COMPARE(before.state(), qtm::TaskState::Running);
        delete early;
        QTRY_VERIFY_WITH_TIMEOUT(before.isFinished(), 10'000);
        QCOMPARE(before.state(), qtm::TaskState::Failed);
        QVERIFY(log.unfinished().isEmpty());
    }

    void cancellingFromAThreadBeingTornDownIsDelivered()
    {
        qtm::TaskManager manager;
        SignalLog log(&manager);
        auto first = manager.createTask(sleepForever(Counted()), QStringLiteral("first"));
        auto second = manager.createTask(sleepForever(Counted()), QStringLiteral("second"));
        QTRY_COMPARE(first.state(), qtm::TaskState::Running);
        QTRY_COMPARE(second.state(), qtm::TaskState::Running);

        // 1. From a thread_local destructor of an exiting std::thread.
        QFuture<qtm::CancelOutcome> fromThreadExit;
        struct CancelAtExit
        {
            qtm::TaskManager *manager = nullptr;
            qtm::Task task;
            QFuture<qtm::CancelOutcome> *out = nullptr;
            ~CancelAtExit()
            {
                if (manager)
                    *out = manager->cancelTask(task, 30s);
            }
        };
        std::thread([&] {
            thread_local CancelAtExit atExit;
            atExit = {&manager, first, &fromThreadExit};
        }).join();

        // 2. From an object of a QThread destroyed while that thread finishes (deleteLater on finished()).
        QFuture<qtm::CancelOutcome> fromQThread;
        QMutex mutex;
        struct Canceller : QObject
        {
            qtm::TaskManager *manager;
            qtm::Task task;
            QFuture<qtm::CancelOutcome> *out;
            QMutex *mutex;
            Canceller(qtm::TaskManager *m, qtm::Task t, QFuture<qtm::CancelOutcome> *o, QMutex *mx)
                : manager(m), task(std::move(t)), out(o), mutex(mx)
            { }
            ~Canceller() override
            {
                QMutexLocker lock(mutex);
                *out = manager->cancelTask(task);
            }
        };
        QThread thread;
        auto *canceller = new Canceller(&manager, second, &fromQThread, &mutex);
        canceller->moveToThread(&thread);
        connect(&thread, &QThread::finished, canceller, &QObject::deleteLater);
        thread.start();
        thread.quit();
        QVERIFY(thread.wait(30'000));

        QTRY_VERIFY_WITH_TIMEOUT(first.isFinished() && second.isFinished(), 30'000);
        QCOMPARE(first.state(), qtm::TaskState::Cancelled);
        QCOMPARE(second.state(), qtm::TaskState::Cancelled);
        QTRY_VERIFY(fromThreadExit.isFinished());
        QCOMPARE(fromThreadExit.result(), qtm::CancelOutcome::Cancelled);
        QMutexLocker lock(&mutex);
        QTRY_VERIFY(fromQThread.isFinished());
        QCOMPARE(fromQThread.result(), qtm::CancelOutcome::Cancelled);
        QVERIFY(log.unfinished().isEmpty());
    }

    void theBadInputTableIsRejected_data()
    {
        QTest::addColumn<int>("row");
        const char *names[] = {"null function pointer",
                               "empty std::function taking TaskControl",
                               "empty std::function taking nothing",
                               "default-constructed Coro",
                               "a coroutine handed to two managers",
                               "negative cancel time-out",
                               "default-constructed handle to cancelTask",
                               "default-constructed handle to setTaskSuspended",
                               "handle from another manager to cancelTask",
                               "handle from another manager to setTaskSuspended",
                               "createTask on a manager that has shut down",
                               "negative shutdown time-out",
                               "negative progress interval"};
        for (int row = 0; row < int(std::size(names)); ++row)
            QTest::newRow(names[row]) << row;
    }

    void theBadInputTableIsRejected()
    {
        QFETCH(int, row);
        qtm::TaskManager manager;
        qtm::TaskManager other;
        SignalLog log(&manager);
        auto foreign = other.createTask(sleepForever(Counted()), QStringLiteral("foreign"));
        bool invalidArgument = true; // else std::logic_error
        bool rejectedFuture = false; // cancelTask(): no exception, an already-resolved Rejected future
        QFuture<qtm::CancelOutcome> outcome;
        std::function<void()> call;
        qtm::Task accepted;
        switch (row) {
        case 0:
            call = [&] {
                int (*function)(qtm::TaskControl &) = nullptr;
                (void)manager.createTask(function);
            };
            break;
        case 1:
            call = [&] { (void)manager.createTask(std::function<int(qtm::TaskControl &)>()); };
            break;
        case 2:
            call = [&] { (void)manager.createTask(std::function<void()>()); };
            break;
        case 3:
            call = [&] { (void)manager.createTask(qtm::Coro<int>()); };
            break;
        case 4:
            call = [&] {
                auto coroutine = answer(Counted());
                accepted = manager.createTask(std::move(coroutine));
                (void)other.createTask(std::move(coroutine)); // NOLINT(bugprone-use-after-move): the point
            };
            break;
        case 5:
            call = [&] {
                auto task = manager.createTask(answer(Counted()));
                accepted = task;
                outcome = manager.cancelTask(task, std::chrono::milliseconds(-1));
            };
            rejectedFuture = true;
            break;
        case 6:
            call = [&] { outcome = manager.cancelTask(qtm::Task()); };
            rejectedFuture = true;
            break;
        case 7:
            call = [&] { manager.setTaskSuspended(qtm::Task(), true); };
            break;
        case 8:
            call = [&] { outcome = manager.cancelTask(foreign); };
            rejectedFuture = true;
            break;
        case 9:
            call = [&] { manager.setTaskSuspended(foreign, true); };
            break;
        case 10:
            invalidArgument = false;
            call = [&] {
                (void)manager.shutdown();
                (void)manager.createTask(answer(Counted())); // the frame must be destroyed, not leaked
            };
            break;
        case 11:
            call = [&] { manager.setShutdownTimeout(std::chrono::milliseconds(-5)); };
            break;
        case 12:
            call = [&] { manager.setProgressInterval(std::chrono::milliseconds(-5)); };
            break;
        }
        if (rejectedFuture) {
            call();
            QVERIFY(outcome.isFinished());
            QCOMPARE(outcome.result(), qtm::CancelOutcome::Rejected);
        } else if (invalidArgument) {
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, call());
        } else {
            QVERIFY_THROWS_EXCEPTION(std::logic_error, call());
        }
        QVERIFY(!foreign.isFinished()); // the other manager's task was not touched
        if (accepted.isValid()) {
            QTRY_VERIFY(accepted.isFinished());
            QCOMPARE(accepted.state(), qtm::TaskState::Succeeded);
        }
        QTRY_COMPARE(manager.taskCount(), 0);
        QVERIFY(log.violations().isEmpty());
        QVERIFY(log.unfinished().isEmpty());
    }

    void badValuesInsideACoroutineFailOnlyThatTask()
    {
        qtm::TaskManager manager;
        auto negativeSleep
            = manager.createTask([](Counted) -> qtm::Coro<void> { co_await qtm::sleep(-1ms); }(Counted()));
        QObject sender;
        auto negativeSignalTimeout = manager.createTask([](Counted, QObject *s) -> qtm::Coro<void> {
            (void)co_await qtm::signal(s, &QObject::objectNameChanged, -1ms);
        }(Counted(), &sender));
        auto emptyChild
            = manager.createTask([](Counted) -> qtm::Coro<int> { co_return co_await qtm::Coro<int>(); }(Counted()));
        auto emptyFromCallable = manager.createTask([c = Counted()] { return qtm::Coro<int>(); });
        for (const qtm::Task &task : {qtm::Task(negativeSleep), qtm::Task(negativeSignalTimeout), qtm::Task(emptyChild),
                                      qtm::Task(emptyFromCallable)}) {
            QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), 10'000);
            QCOMPARE(task.state(), qtm::TaskState::Failed);
            QVERIFY(!task.errorText().isEmpty());
        }
    }

    // ---- the manager destroyed from inside its own signals and continuations ----

    void theManagerDestroyedFromATaskContinuation()
    {
        auto *manager = new qtm::TaskManager;
        QPointer<qtm::TaskManager> alive(manager);
        auto task = manager->createTask(answer(Counted()), QStringLiteral("last"));
        auto other = manager->createTask(sleepForever(Counted()), QStringLiteral("bystander"));
        // A synchronous continuation runs where the future finishes: inside the manager's own finalize().
        task.future().then([manager](int) { delete manager; });
        QTRY_VERIFY_WITH_TIMEOUT(alive.isNull(), 10'000);
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
        QCOMPARE(other.state(), qtm::TaskState::Cancelled);
    }

    void theManagerDestroyedFromASlotOnItsTaskFinished()
    {
        auto *manager = new qtm::TaskManager;
        QPointer<qtm::TaskManager> alive(manager);
        auto other = manager->createTask(sleepForever(Counted()), QStringLiteral("bystander"));
        auto task = manager->createTask(answer(Counted()), QStringLiteral("last"));
        connect(manager, &qtm::TaskManager::taskFinished, manager, [manager, id = task.id()](const qtm::Task &t) {
            if (t.id() == id)
                delete manager;
        });
        QTRY_VERIFY_WITH_TIMEOUT(alive.isNull(), 10'000);
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
        QCOMPARE(other.state(), qtm::TaskState::Cancelled);
    }

    // ---- exceptions thrown by the application's own slots on task signals ----
    // Last in this file: if they escape into the event loop today, they take the process with them.

    void anExceptionThrownInASlotOnATaskSignalDoesNotEscapeIntoTheLoop_data()
    {
        QTest::addColumn<QByteArray>("signal");
        for (const char *signal :
             {"taskCreated", "taskStarted", "taskProgressChanged", "taskSucceeded", "taskFinished"})
            QTest::newRow(signal) << QByteArray(signal);
    }

    void anExceptionThrownInASlotOnATaskSignalDoesNotEscapeIntoTheLoop()
    {
        QFETCH(QByteArray, signal);
        qtm::TaskManager manager;
        manager.setProgressInterval(0ms);
        SignalLog log(&manager);
        const auto thrower = [](const qtm::Task &) { throw std::runtime_error("thrown by a slot"); };
        using M = qtm::TaskManager;
        // The signals' type names their private tag, which only the manager can construct.
        const std::map<QByteArray, decltype(&M::taskCreated)> taskSignals{
            {"taskCreated", &M::taskCreated},
            {"taskStarted", &M::taskStarted},
            {"taskProgressChanged", &M::taskProgressChanged},
            {"taskSucceeded", &M::taskSucceeded},
            {"taskFinished", &M::taskFinished}};
        connect(&manager, taskSignals.at(signal), &manager, thrower);
        // Progress is reported from the task, so the progress row exercises a throwing progress callback.
        auto task = manager.createTask([](Counted) -> qtm::Coro<int> {
            qtm::this_task::control().setProgressValue(1);
            co_await qtm::yield();
            co_await qtm::yield();
            co_return 5;
        }(Counted()));
        bool escaped = false;
        try {
            QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), 10'000);
            QTest::qWait(0);
        } catch (const std::exception &) {
            escaped = true;
        }
        QVERIFY2(!escaped, "the slot's exception escaped into the event loop");
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
        QTRY_COMPARE(manager.taskCount(), 0);
        QVERIFY(log.unfinished().isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_Faults)
#include "tst_faults.moc"
