// qtm::timeout(): one await bounded, the operation cancelled at the bound, qtm::TimeoutError thrown, the
// task going on; the task's own cancellation never turned into a time-out; nesting and shields.

#include <qtm/taskmanager.h>

#include <QtCore/QPromise>
#include <QtCore/QThread>
#include <QtTest>

#include <stdexcept>

using namespace std::chrono_literals;

namespace {

qtm::Coro<int> answerAfter(std::chrono::milliseconds delay)
{
    co_await qtm::sleep(delay);
    co_return 42;
}

//! Sleeps for ever; on cancellation records it, cleans up with an await of its own, and rethrows.
qtm::Coro<int> sleepWithCleanup(QStringList *trace)
{
    std::exception_ptr cancellation;
    try {
        co_await qtm::sleep(24h);
    } catch (const qtm::CancelledError &) {
        cancellation = std::current_exception();
    }
    trace->append(QStringLiteral("cleanup begins"));
    co_await qtm::sleep(1ms); // a cleanup that awaits (not allowed inside the handler itself)
    trace->append(QStringLiteral("cleanup done"));
    std::rethrow_exception(cancellation);
}

//! Runs \a body as a task and waits for it to end.
template<typename T>
qtm::TypedTask<T> runToEnd(qtm::TaskManager &manager, qtm::Coro<T> body)
{
    auto task = manager.createTask(std::move(body), QStringLiteral("bounded"));
    [&] { QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), 20000); }();
    return task;
}

} // namespace

class tst_Timeout : public QObject
{
    Q_OBJECT

private slots:
    void anExpiredBoundCancelsTheOperationAndTheTaskGoesOn()
    {
        qtm::TaskManager manager;
        QStringList trace;
        auto task = runToEnd(manager, [](QStringList *trace) -> qtm::Coro<int> {
            try {
                co_await qtm::timeout(20ms, qtm::sleep(24h));
                trace->append(QStringLiteral("not reached"));
            } catch (const qtm::TimeoutError &error) {
                trace->append(QString::fromUtf8(error.what()));
                if (error.bound() != 20ms)
                    trace->append(QStringLiteral("wrong bound"));
            }
            co_await qtm::yield(); // the task is not cancelled: its next await goes through
            co_return 7;
        }(&trace));
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
        QCOMPARE(task.future().result(), 7);
        QCOMPARE(trace, QStringList{QStringLiteral("qtm::timeout: the operation did not end within 20 ms")});
    }

    void anOperationThatEndsFirstGivesItsResultAndLeavesNoDeadlineBehind()
    {
        qtm::TaskManager manager;
        auto task = runToEnd(manager, []() -> qtm::Coro<int> {
            const int first = co_await qtm::timeout(24h, answerAfter(1ms));
            co_await qtm::timeout(5ms, qtm::yield());
            // Both deadlines were withdrawn: the 5 ms one, long past when this sleep ends, cancels nothing.
            co_await qtm::sleep(50ms);
            co_return first;
        }());
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
        QCOMPARE(task.future().result(), 42);
    }

    void anOperationThatEndsInTheTurnItsBoundExpiresGivesItsResult()
    {
        // The loop is held past the sleep's end and the bound: the timer queue fires the sleep first (the
        // earlier deadline), so the operation ended first and the await gives its result.
        qtm::TaskManager manager;
        auto bounded = manager.createTask(
            []() -> qtm::Coro<int> {
                co_await qtm::timeout(5ms, qtm::sleep(1ms));
                co_return 1;
            }(),
            QStringLiteral("bounded"));
        manager.createTask(
            []() -> qtm::Coro<void> {
                QThread::msleep(30); // holds the loop past both deadlines (not a wait for anything)
                co_return;
            }(),
            QStringLiteral("stall"));
        QTRY_VERIFY_WITH_TIMEOUT(bounded.isFinished(), 20000);
        QCOMPARE(bounded.state(), qtm::TaskState::Succeeded);
    }

    void aChildCoroutineUnwindsThroughItsCleanupBeforeTheTimeoutIsThrown()
    {
        qtm::TaskManager manager;
        QStringList trace;
        auto task = runToEnd(manager, [](QStringList *trace) -> qtm::Coro<void> {
            try {
                co_await qtm::timeout(20ms, sleepWithCleanup(trace));
            } catch (const qtm::TimeoutError &) {
                trace->append(QStringLiteral("timed out"));
            }
        }(&trace));
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
        QCOMPARE(trace,
                 (QStringList{QStringLiteral("cleanup begins"), QStringLiteral("cleanup done"),
                              QStringLiteral("timed out")}));
    }

    void aChildThatCatchesTheCancellationAndReturnsGivesItsValue()
    {
        qtm::TaskManager manager;
        auto task = runToEnd(manager, []() -> qtm::Coro<int> {
            co_return co_await qtm::timeout(10ms, []() -> qtm::Coro<int> {
                try {
                    co_await qtm::sleep(24h);
                } catch (const qtm::CancelledError &) {
                    co_return -1; // gives up with a value of its own
                }
                co_return 0;
            }());
        }());
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
        QCOMPARE(task.future().result(), -1);
    }

    void theTasksOwnCancellationComesOutAsCancellation()
    {
        qtm::TaskManager manager;
        QStringList trace;
        auto task = manager.createTask(
            [](QStringList *trace) -> qtm::Coro<void> {
                try {
                    co_await qtm::timeout(24h, qtm::sleep(24h));
                } catch (const qtm::TimeoutError &) {
                    trace->append(QStringLiteral("timeout"));
                } catch (const qtm::CancelledError &) {
                    trace->append(QStringLiteral("cancelled"));
                    throw;
                }
            }(&trace),
            QStringLiteral("bounded"));
        QTRY_COMPARE_WITH_TIMEOUT(task.state(), qtm::TaskState::Running, 20000);
        QTest::qWait(0); // the first step has run: it is suspended in the bounded sleep
        auto outcome = manager.cancelTask(task);
        QTRY_VERIFY_WITH_TIMEOUT(outcome.isFinished(), 20000);
        QCOMPARE(outcome.result(), qtm::CancelOutcome::Cancelled);
        QCOMPARE(trace, QStringList{QStringLiteral("cancelled")});
    }

    void aCancellationDuringTheTimeoutsCleanupIsNotTurnedIntoATimeout()
    {
        qtm::TaskManager manager;
        QStringList trace;
        auto task = manager.createTask(
            [](QStringList *trace) -> qtm::Coro<void> {
                try {
                    co_await qtm::timeout(10ms, [](QStringList *trace) -> qtm::Coro<void> {
                        std::exception_ptr cancellation;
                        try {
                            co_await qtm::sleep(24h);
                        } catch (const qtm::CancelledError &) {
                            cancellation = std::current_exception();
                        }
                        trace->append(QStringLiteral("cleanup"));
                        co_await qtm::sleep(24h); // cancelled by the test here
                        std::rethrow_exception(cancellation);
                    }(trace));
                } catch (const qtm::TimeoutError &) {
                    trace->append(QStringLiteral("timeout"));
                } catch (const qtm::CancelledError &) {
                    trace->append(QStringLiteral("cancelled"));
                    throw;
                }
            }(&trace),
            QStringLiteral("bounded"));
        QTRY_COMPARE_WITH_TIMEOUT(trace, QStringList{QStringLiteral("cleanup")}, 20000);
        auto outcome = manager.cancelTask(task);
        QTRY_VERIFY_WITH_TIMEOUT(outcome.isFinished(), 20000);
        QCOMPARE(outcome.result(), qtm::CancelOutcome::Cancelled);
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        QCOMPARE(trace, (QStringList{QStringLiteral("cleanup"), QStringLiteral("cancelled")}));
    }

    void theOuterOfTwoNestedTimeoutsUnwindsThroughTheInner()
    {
        qtm::TaskManager manager;
        QStringList trace;
        auto task = runToEnd(manager, [](QStringList *trace) -> qtm::Coro<void> {
            try {
                co_await qtm::timeout(20ms, [](QStringList *trace) -> qtm::Coro<void> {
                    try {
                        co_await qtm::timeout(24h, qtm::sleep(24h));
                    } catch (const qtm::TimeoutError &) {
                        trace->append(QStringLiteral("inner timeout"));
                    } catch (const qtm::CancelledError &) {
                        trace->append(QStringLiteral("inner sees a cancellation"));
                        throw;
                    }
                }(trace));
            } catch (const qtm::TimeoutError &error) {
                trace->append(QStringLiteral("outer timeout %1 ms")
                                  .arg(std::chrono::duration_cast<std::chrono::milliseconds>(error.bound()).count()));
            }
        }(&trace));
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
        QCOMPARE(trace,
                 (QStringList{QStringLiteral("inner sees a cancellation"), QStringLiteral("outer timeout 20 ms")}));
    }

    void theInnerOfTwoNestedTimeoutsIsCaughtInside()
    {
        qtm::TaskManager manager;
        auto task = runToEnd(manager, []() -> qtm::Coro<int> {
            co_return co_await qtm::timeout(24h, []() -> qtm::Coro<int> {
                try {
                    co_await qtm::timeout(10ms, qtm::sleep(24h));
                } catch (const qtm::TimeoutError &) {
                    co_return 7;
                }
                co_return 0;
            }());
        }());
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
        QCOMPARE(task.future().result(), 7);
    }

    void aShieldInsideTheTimeoutRunsToItsEndAndTheTimeoutComesAtTheNextAwait()
    {
        qtm::TaskManager manager;
        QStringList trace;
        auto task = runToEnd(manager, [](QStringList *trace) -> qtm::Coro<void> {
            try {
                co_await qtm::timeout(5ms, [](QStringList *trace) -> qtm::Coro<void> {
                    const int value = co_await qtm::shield(answerAfter(50ms));
                    trace->append(QStringLiteral("shielded %1").arg(value));
                    co_await qtm::yield();
                    trace->append(QStringLiteral("not reached"));
                }(trace));
            } catch (const qtm::TimeoutError &) {
                trace->append(QStringLiteral("timeout"));
            }
        }(&trace));
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
        QCOMPARE(trace, (QStringList{QStringLiteral("shielded 42"), QStringLiteral("timeout")}));
    }

    void whenBothNestedTimeoutsExpireTheOuterOneWins()
    {
        qtm::TaskManager manager;
        QStringList trace;
        auto task = runToEnd(manager, [](QStringList *trace) -> qtm::Coro<void> {
            try {
                co_await qtm::timeout(5ms, [](QStringList *trace) -> qtm::Coro<void> {
                    try {
                        co_await qtm::timeout(10ms, []() -> qtm::Coro<void> {
                            co_await qtm::shield(qtm::sleep(50ms)); // both bounds expire in here
                            co_await qtm::yield();
                        }());
                    } catch (const qtm::TimeoutError &) {
                        trace->append(QStringLiteral("inner timeout"));
                    }
                }(trace));
            } catch (const qtm::TimeoutError &error) {
                trace->append(QStringLiteral("outer timeout %1 ms")
                                  .arg(std::chrono::duration_cast<std::chrono::milliseconds>(error.bound()).count()));
            }
        }(&trace));
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
        QCOMPARE(trace, QStringList{QStringLiteral("outer timeout 5 ms")});
    }

    void aTimeoutInsideAShieldStillCancelsItsOperation()
    {
        qtm::TaskManager manager;
        auto task = runToEnd(manager, []() -> qtm::Coro<int> {
            try {
                co_await qtm::shield(qtm::timeout(10ms, qtm::sleep(24h)));
            } catch (const qtm::TimeoutError &) {
                co_return 1;
            }
            co_return 0;
        }());
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
        QCOMPARE(task.future().result(), 1);
    }

    void aBoundedFutureIsCancelledAtTheBound()
    {
        qtm::TaskManager manager;
        QPromise<int> promise; // never given a result
        QFuture<int> future = promise.future();
        promise.start();
        auto task = runToEnd(manager, [](QFuture<int> future) -> qtm::Coro<int> {
            try {
                co_return co_await qtm::timeout(10ms, future);
            } catch (const qtm::TimeoutError &) {
                co_return -1;
            }
        }(future));
        QCOMPARE(task.future().result(), -1);
        QVERIFY(future.isCanceled());
    }

    void aBoundedWaitForAnotherTaskStopsWaitingAndLeavesItRunning()
    {
        qtm::TaskManager manager;
        auto sleeper = manager.createTask(answerAfter(24h), QStringLiteral("sleeper"));
        auto task = runToEnd(manager, [](qtm::TypedTask<int> sleeper) -> qtm::Coro<int> {
            try {
                co_return co_await qtm::timeout(10ms, sleeper);
            } catch (const qtm::TimeoutError &) {
                co_return -1;
            }
        }(sleeper));
        QCOMPARE(task.future().result(), -1);
        QCOMPARE(sleeper.state(), qtm::TaskState::Running);
        auto outcome = manager.cancelTask(sleeper);
        QTRY_VERIFY_WITH_TIMEOUT(outcome.isFinished(), 20000);
    }

    void aNegativeBoundIsRejectedAndAnEndlessOneDoesNotOverflow()
    {
        QTest::ignoreMessage(QtWarningMsg, "qtm::timeout: the bound must not be negative (got -1000000 ns)");
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, (void)qtm::timeout(-1ms, qtm::yield()));

        qtm::TaskManager manager;
        auto task = runToEnd(manager, []() -> qtm::Coro<int> {
            const int a = co_await qtm::timeout(std::chrono::milliseconds::max(), answerAfter(1ms));
            const int b = co_await qtm::timeout(std::chrono::hours::max(), answerAfter(1ms));
            co_return a + b;
        }());
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
        QCOMPARE(task.future().result(), 84);
    }

    void theManagersDestructionCancelsABoundedAwait()
    {
        QStringList trace;
        qtm::Task task;
        {
            qtm::TaskManager manager;
            task = manager.createTask(
                [](QStringList *trace) -> qtm::Coro<void> {
                    try {
                        co_await qtm::timeout(24h, qtm::sleep(24h));
                    } catch (const qtm::TimeoutError &) {
                        trace->append(QStringLiteral("timeout"));
                    } catch (const qtm::CancelledError &) {
                        trace->append(QStringLiteral("cancelled"));
                        throw;
                    }
                }(&trace),
                QStringLiteral("bounded"));
            QTRY_COMPARE_WITH_TIMEOUT(task.state(), qtm::TaskState::Running, 20000);
            QTest::qWait(0);
        }
        QVERIFY(task.isFinished());
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        QCOMPARE(trace, QStringList{QStringLiteral("cancelled")});
    }
};

QTEST_GUILESS_MAIN(tst_Timeout)
#include "tst_timeout.moc"
