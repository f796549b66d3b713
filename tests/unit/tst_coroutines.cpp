// Coroutine tasks: lazy start, every kind of await, cancellation at each await point, shields, errors.

#include <qtm/taskmanager.h>

#include "testhelpers.h"

#include <QtCore/QPromise>
#include <QtTest>

using namespace std::chrono_literals;
using qtmtest::EventLog;
using qtmtest::LifeCounter;

namespace {

qtm::Coro<int> answerAfter(std::chrono::milliseconds delay)
{
    co_await qtm::sleep(delay);
    co_return 42;
}

qtm::Coro<int> addOne(qtm::Coro<int> inner)
{
    const int value = co_await std::move(inner);
    co_return value + 1;
}

qtm::Coro<void> sleepForever(QStringList *trace)
{
    LifeCounter counter;
    trace->append(QStringLiteral("begin"));
    try {
        co_await qtm::sleep(24h);
    } catch (const qtm::CancelledError &) {
        trace->append(QStringLiteral("cancelled"));
        throw;
    }
    trace->append(QStringLiteral("not reached"));
}

qtm::Coro<void> failWith(const char *message)
{
    co_await qtm::yield();
    throw std::runtime_error(message);
}

} // namespace

class tst_Coroutines : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { LifeCounter::reset(); }

    void aCoroutineDoesNotRunUntilTheManagerSchedulesIt()
    {
        bool ran = false;
        auto body = [&ran]() -> qtm::Coro<void> {
            ran = true;
            co_return;
        };
        qtm::Coro<void> coroutine = body();
        QVERIFY(!ran);
        qtm::TaskManager manager;
        auto task = manager.createTask(std::move(coroutine), QStringLiteral("lazy"));
        QVERIFY2(!ran, "createTask() must schedule the task on the loop, never run it inline");
        QCOMPARE(task.state(), qtm::TaskState::Pending);
        QTRY_VERIFY(task.isFinished());
        QVERIFY(ran);
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
    }

    void aSleepingTaskReturnsItsResultThroughTheFuture()
    {
        qtm::TaskManager manager;
        auto task = manager.createTask(answerAfter(5ms), QStringLiteral("answer"));
        QTRY_VERIFY_WITH_TIMEOUT(task.future().isFinished(), 10000);
        QCOMPARE(task.future().result(), 42);
        QVERIFY(task.startedAt().isValid());
        QVERIFY(task.finishedAt() >= task.startedAt());
    }

    void theEventLoopKeepsTurningWhileATaskIsSuspended()
    {
        qtm::TaskManager manager;
        qtmtest::LoopTurns turns;
        auto task = manager.createTask(answerAfter(50ms), QStringLiteral("slow"));
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), 10000);
        QVERIFY2(turns.turns > 3, "the loop must turn while the coroutine sleeps");
    }

    void aCoroutineAwaitsAnotherCoroInline()
    {
        qtm::TaskManager manager;
        auto task = manager.createTask(addOne(answerAfter(1ms)), QStringLiteral("nested"));
        QTRY_VERIFY(task.isFinished());
        QCOMPARE(task.future().result(), 43);
    }

    void aCoroutineAwaitsAFuture()
    {
        qtm::TaskManager manager;
        QPromise<QString> promise;
        QFuture<QString> future = promise.future();
        promise.start();
        auto task = manager.createTask(
            [](QFuture<QString> f) -> qtm::Coro<QString> { co_return (co_await f) + QStringLiteral("!"); }(future),
            QStringLiteral("await future"));
        QTest::qWait(0);
        QCOMPARE(task.state(), qtm::TaskState::Running);
        promise.addResult(QStringLiteral("done"));
        promise.finish();
        QTRY_VERIFY(task.isFinished());
        QCOMPARE(task.future().result(), QStringLiteral("done!"));
    }

    void aCoroutineAwaitsAFutureThatFails()
    {
        qtm::TaskManager manager;
        QPromise<int> promise;
        promise.start();
        auto task = manager.createTask(
            [](QFuture<int> f) -> qtm::Coro<int> {
                try {
                    co_return co_await f;
                } catch (const std::runtime_error &error) {
                    co_return QString::fromUtf8(error.what()).size();
                }
            }(promise.future()),
            QStringLiteral("await failing future"));
        promise.setException(std::make_exception_ptr(std::runtime_error("12345")));
        promise.finish();
        QTRY_VERIFY(task.isFinished());
        QCOMPARE(task.future().result(), 5);
    }

    void aCoroutineAwaitsAnotherTaskAndGetsItsErrorRethrown()
    {
        qtm::TaskManager manager;
        auto failing = manager.createTask(failWith("boom"), QStringLiteral("failing"));
        auto waiting = manager.createTask(
            [](qtm::Task other) -> qtm::Coro<QString> {
                try {
                    co_await other;
                } catch (const std::runtime_error &error) {
                    co_return QString::fromUtf8(error.what());
                }
                co_return QString();
            }(failing),
            QStringLiteral("waiting"));
        QTRY_VERIFY(waiting.isFinished());
        QCOMPARE(waiting.future().result(), QStringLiteral("boom"));
        QCOMPARE(failing.state(), qtm::TaskState::Failed);
    }

    void aCoroutineAwaitsATypedTaskResult()
    {
        qtm::TaskManager manager;
        auto producer = manager.createTask(answerAfter(1ms), QStringLiteral("producer"));
        auto consumer
            = manager.createTask([](qtm::TypedTask<int> p) -> qtm::Coro<int> { co_return 2 * co_await p; }(producer),
                                 QStringLiteral("consumer"));
        QTRY_VERIFY(consumer.isFinished());
        QCOMPARE(consumer.future().result(), 84);
    }

    void aCoroutineAwaitsSignalsWithTheirValues()
    {
        qtm::TaskManager manager;
        qtmtest::Emitter emitter;
        auto task = manager.createTask(
            [](qtmtest::Emitter *e) -> qtm::Coro<QString> {
                co_await qtm::signal(e, &qtmtest::Emitter::nothing);
                const int v = co_await qtm::signal(e, &qtmtest::Emitter::value);
                const auto [a, b] = co_await qtm::signal(e, &qtmtest::Emitter::pair);
                co_return QStringLiteral("%1 %2 %3").arg(v).arg(a).arg(b);
            }(&emitter),
            QStringLiteral("signals"));
        QTRY_VERIFY(emitter.isConnected(&qtmtest::Emitter::nothing));
        Q_EMIT emitter.nothing();
        QTRY_VERIFY(emitter.isConnected(&qtmtest::Emitter::value));
        Q_EMIT emitter.value(7);
        QTRY_VERIFY(emitter.isConnected(&qtmtest::Emitter::pair));
        Q_EMIT emitter.pair(1, QStringLiteral("x"));
        QTRY_VERIFY(task.isFinished());
        QCOMPARE(task.future().result(), QStringLiteral("7 1 x"));
    }

    void aSignalAwaitWithTimeoutReturnsEmptyWhenNothingComes()
    {
        qtm::TaskManager manager;
        qtmtest::Emitter emitter;
        auto task = manager.createTask(
            [](qtmtest::Emitter *e) -> qtm::Coro<int> {
                const std::optional<int> v = co_await qtm::signal(e, &qtmtest::Emitter::value, 20ms);
                const bool came = co_await qtm::signal(e, &qtmtest::Emitter::nothing, 1ms);
                co_return v.has_value() || came ? 1 : 0;
            }(&emitter),
            QStringLiteral("timeout"));
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), 10000);
        QCOMPARE(task.future().result(), 0);
    }

    void awaitingASignalOfAnObjectDeletedBeforeItEmitsThrows()
    {
        qtm::TaskManager manager;
        auto *emitter = new qtmtest::Emitter;
        auto task = manager.createTask(
            [](qtmtest::Emitter *e) -> qtm::Coro<void> { co_await qtm::signal(e, &qtmtest::Emitter::value); }(emitter),
            QStringLiteral("sender dies"));
        QTRY_COMPARE(task.state(), qtm::TaskState::Running);
        QTest::qWait(0);
        delete emitter;
        QTRY_VERIFY(task.isFinished());
        QCOMPARE(task.state(), qtm::TaskState::Failed);
        QVERIFY2(task.errorText().contains(QLatin1String("destroyed")), qPrintable(task.errorText()));
    }

    void yieldLetsOtherTasksRun()
    {
        qtm::TaskManager manager;
        QStringList order;
        auto body = [](QStringList *order, QString name) -> qtm::Coro<void> {
            for (int i = 0; i < 3; ++i) {
                order->append(name + QString::number(i));
                co_await qtm::yield();
            }
        };
        auto a = manager.createTask(body(&order, QStringLiteral("a")), QStringLiteral("a"));
        auto b = manager.createTask(body(&order, QStringLiteral("b")), QStringLiteral("b"));
        QTRY_VERIFY(a.isFinished() && b.isFinished());
        QCOMPARE(order,
                 (QStringList{QStringLiteral("a0"), QStringLiteral("b0"), QStringLiteral("a1"), QStringLiteral("b1"),
                              QStringLiteral("a2"), QStringLiteral("b2")}));
    }

    void cancellingASleepingTaskThrowsCancelledErrorAtTheAwait()
    {
        qtm::TaskManager manager;
        QStringList trace;
        auto task = manager.createTask(sleepForever(&trace), QStringLiteral("sleeper"));
        QTRY_COMPARE(trace, QStringList{QStringLiteral("begin")});
        QCOMPARE(LifeCounter::alive.load(), 1);
        auto outcome = manager.cancelTask(task);
        QTRY_VERIFY(outcome.isFinished());
        QCOMPARE(outcome.result(), qtm::CancelOutcome::Cancelled);
        QCOMPARE(trace, (QStringList{QStringLiteral("begin"), QStringLiteral("cancelled")}));
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        QVERIFY(task.future().isCanceled());
        QCOMPARE(LifeCounter::alive.load(), 0);
    }

    void cancellingATaskAwaitingAFutureCancelsTheFuture()
    {
        qtm::TaskManager manager;
        QPromise<int> promise;
        promise.start();
        QFuture<int> future = promise.future();
        auto task = manager.createTask([](QFuture<int> f) -> qtm::Coro<int> { co_return co_await f; }(future),
                                       QStringLiteral("awaits future"));
        QTRY_COMPARE(task.state(), qtm::TaskState::Running);
        QTest::qWait(0);
        auto outcome = manager.cancelTask(task);
        QTRY_VERIFY(outcome.isFinished());
        QCOMPARE(outcome.result(), qtm::CancelOutcome::Cancelled);
        QVERIFY2(promise.isCanceled(), "the awaited operation itself must be cancelled");
        promise.finish();
    }

    void cancellingATaskAwaitingASignalDisconnectsIt()
    {
        qtm::TaskManager manager;
        qtmtest::Emitter emitter;
        auto task = manager.createTask(
            [](qtmtest::Emitter *e) -> qtm::Coro<void> { co_await qtm::signal(e, &qtmtest::Emitter::value); }(&emitter),
            QStringLiteral("awaits signal"));
        QTRY_VERIFY(emitter.isConnected(&qtmtest::Emitter::value));
        auto outcome = manager.cancelTask(task);
        QTRY_VERIFY(outcome.isFinished());
        QCOMPARE(outcome.result(), qtm::CancelOutcome::Cancelled);
        QVERIFY(!emitter.isConnected(&qtmtest::Emitter::value));
    }

    void aTaskCancelledBeforeItStartedIsDestroyedWithoutRunningALine()
    {
        qtm::TaskManager manager;
        EventLog log(&manager);
        bool ran = false;
        auto body = [](bool *ran, LifeCounter) -> qtm::Coro<void> {
            *ran = true;
            co_return;
        };
        auto task = manager.createTask(body(&ran, LifeCounter()), QStringLiteral("never runs"));
        QCOMPARE(LifeCounter::alive.load(), 1); // the argument lives in the frame
        auto outcome = manager.cancelTask(task);
        QTRY_VERIFY(outcome.isFinished());
        QCOMPARE(outcome.result(), qtm::CancelOutcome::Cancelled);
        QVERIFY(!ran);
        QCOMPARE(LifeCounter::alive.load(), 0);
        QCOMPARE(log.eventsOf(QStringLiteral("never runs")),
                 (QStringList{QStringLiteral("created"), QStringLiteral("cancelled"), QStringLiteral("finished")}));
    }

    void aCoroutineThatCatchesCancellationAndReturnsHasFinished()
    {
        qtm::TaskManager manager;
        auto task = manager.createTask(
            []() -> qtm::Coro<int> {
                try {
                    co_await qtm::sleep(24h);
                } catch (const qtm::CancelledError &) {
                    co_return -1;
                }
                co_return 0;
            }(),
            QStringLiteral("swallows"));
        QTRY_COMPARE(task.state(), qtm::TaskState::Running);
        QTest::qWait(0);
        auto outcome = manager.cancelTask(task);
        QTRY_VERIFY(outcome.isFinished());
        QCOMPARE(outcome.result(), qtm::CancelOutcome::FinishedAnyway);
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
        QCOMPARE(task.future().result(), -1);
    }

    void cancelledErrorIsNotCaughtByAStdExceptionHandler()
    {
        qtm::TaskManager manager;
        bool swallowed = false;
        auto task = manager.createTask(
            [](bool *swallowed) -> qtm::Coro<void> {
                try {
                    co_await qtm::sleep(24h);
                } catch (const std::exception &) {
                    *swallowed = true;
                }
            }(&swallowed),
            QStringLiteral("generic handler"));
        QTRY_COMPARE(task.state(), qtm::TaskState::Running);
        QTest::qWait(0);
        auto outcome = manager.cancelTask(task);
        QTRY_VERIFY(outcome.isFinished());
        QVERIFY(!swallowed);
        QCOMPARE(outcome.result(), qtm::CancelOutcome::Cancelled);
    }

    void cleanupAwaitsRunAfterCancellation()
    {
        qtm::TaskManager manager;
        QStringList trace;
        auto task = manager.createTask(
            [](QStringList *trace) -> qtm::Coro<void> {
                try {
                    co_await qtm::sleep(24h);
                } catch (const qtm::CancelledError &) {
                    trace->append(QStringLiteral("cleanup begins"));
                }
                co_await qtm::sleep(1ms); // an await in cleanup works: the cancellation was delivered once
                trace->append(QStringLiteral("cleanup done"));
                throw qtm::CancelledError(QStringLiteral("done cleaning up"));
            }(&trace),
            QStringLiteral("cleanup"));
        QTRY_COMPARE(task.state(), qtm::TaskState::Running);
        QTest::qWait(0);
        auto outcome = manager.cancelTask(task);
        QTRY_VERIFY(outcome.isFinished());
        QCOMPARE(outcome.result(), qtm::CancelOutcome::Cancelled);
        QCOMPARE(trace, (QStringList{QStringLiteral("cleanup begins"), QStringLiteral("cleanup done")}));
    }

    void aShieldedOperationCompletesAndTheCancellationComesAtTheNextAwait()
    {
        qtm::TaskManager manager;
        QStringList trace;
        auto task = manager.createTask(
            [](QStringList *trace) -> qtm::Coro<void> {
                const int value = co_await qtm::shield(answerAfter(30ms));
                trace->append(QStringLiteral("shielded %1").arg(value));
                try {
                    co_await qtm::yield();
                } catch (const qtm::CancelledError &) {
                    trace->append(QStringLiteral("cancelled after"));
                    throw;
                }
            }(&trace),
            QStringLiteral("shielded"));
        QTRY_COMPARE(task.state(), qtm::TaskState::Running);
        QTest::qWait(0);
        auto outcome = manager.cancelTask(task);
        QTRY_VERIFY_WITH_TIMEOUT(outcome.isFinished(), 10000);
        QCOMPARE(trace, (QStringList{QStringLiteral("shielded 42"), QStringLiteral("cancelled after")}));
        QCOMPARE(outcome.result(), qtm::CancelOutcome::Cancelled);
    }

    void anExceptionFailsTheTaskAndNeverReachesTheLoop()
    {
        qtm::TaskManager manager;
        EventLog log(&manager);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("task 'thrower'.*failed: kaboom")));
        auto task = manager.createTask(failWith("kaboom"), QStringLiteral("thrower"));
        QTRY_VERIFY(task.isFinished());
        QCOMPARE(task.state(), qtm::TaskState::Failed);
        QCOMPARE(task.errorText(), QStringLiteral("kaboom"));
        QVERIFY(task.exception());
        QCOMPARE(log.errors, QStringList{QStringLiteral("kaboom")});
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, task.future().waitForFinished());
    }

    void aNonStdExceptionIsReportedToo()
    {
        qtm::TaskManager manager;
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("failed: an exception of a type not")));
        auto task = manager.createTask(
            []() -> qtm::Coro<void> {
                co_await qtm::yield();
                throw 42;
            }(),
            QStringLiteral("throws int"));
        QTRY_VERIFY(task.isFinished());
        QCOMPARE(task.state(), qtm::TaskState::Failed);
        QVERIFY(task.errorText().contains(QLatin1String("not derived from std::exception")));
    }

    void aCoroutineLambdaKeepsItsCapturesAlive()
    {
        qtm::TaskManager manager;
        auto task = manager.createTask(
            [text = QStringLiteral("captured")]() -> qtm::Coro<QString> {
                co_await qtm::sleep(1ms);
                co_return text;
            },
            QStringLiteral("lambda"));
        QTRY_VERIFY(task.isFinished());
        QCOMPARE(task.future().result(), QStringLiteral("captured"));
        QCOMPARE(task.kind(), qtm::TaskKind::Coroutine);
    }

    void theRunningTaskSeesItselfAndItsContext()
    {
        qtm::TaskManager manager(qtm::TaskContext({{QStringLiteral("user"), QStringLiteral("ada")}}));
        auto task = manager.createTask(
            []() -> qtm::Coro<QString> {
                co_await qtm::yield();
                co_return qtm::this_task::task().name() + QLatin1Char('/')
                    + qtm::this_task::context().value(QStringLiteral("user")).toString();
            }(),
            QStringLiteral("introspective"));
        QTRY_VERIFY(task.isFinished());
        QCOMPARE(task.future().result(), QStringLiteral("introspective/ada"));
        QVERIFY(!qtm::this_task::task().isValid());
    }

    void aStepThatBlocksTheLoopIsNamed()
    {
        qtm::TaskManager manager;
        manager.setSlowStepThreshold(20ms);
        QSignalSpy blocked(&manager, &qtm::TaskManager::taskBlockedLoop);
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("task 'hog'.*blocked the event loop for \\d+ ms")));
        auto hog = manager.createTask(
            []() -> qtm::Coro<void> {
                co_await qtm::yield();
                QElapsedTimer busy;
                busy.start();
                while (busy.elapsed() < 40) { } // a step that hogs the loop (busy, not sleeping)
                co_await qtm::yield();
            }(),
            QStringLiteral("hog"));
        auto polite = manager.createTask(answerAfter(1ms), QStringLiteral("polite"));
        QTRY_VERIFY(hog.isFinished() && polite.isFinished());
        QCOMPARE(blocked.size(), 1);
        QCOMPARE(blocked.first().first().value<qtm::Task>(), qtm::Task(hog));
        QVERIFY(blocked.first().at(1).toLongLong() >= 40);
    }

    void aCoroutineReportsProgress()
    {
        qtm::TaskManager manager;
        manager.setProgressInterval(0ms);
        EventLog log(&manager);
        auto task = manager.createTask(
            []() -> qtm::Coro<void> {
                auto control = qtm::this_task::control();
                control.setProgressRange(0, 4);
                for (int i = 1; i <= 4; ++i) {
                    control.setProgress(i, QStringLiteral("step %1").arg(i));
                    co_await qtm::yield();
                }
            }(),
            QStringLiteral("steps"));
        QTRY_VERIFY(task.isFinished());
        QCOMPARE(task.progressValue(), 4);
        QCOMPARE(task.progress(), 1.0);
        QCOMPARE(task.progressText(), QStringLiteral("step 4"));
        QCOMPARE(log.eventsOf(QStringLiteral("steps")),
                 (QStringList{QStringLiteral("created"), QStringLiteral("started"), QStringLiteral("progress"),
                              QStringLiteral("succeeded"), QStringLiteral("finished")}));
    }
};

QTEST_GUILESS_MAIN(tst_Coroutines)
#include "tst_coroutines.moc"
