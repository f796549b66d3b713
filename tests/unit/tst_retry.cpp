// TaskOptions::retry: work that fails is started again as its RetryPolicy says, as one task (one
// taskCreated(), one taskStarted(), one outcome, one future), with a taskRetrying() per retry; cancellation
// and the deadline are never retried and end the wait before a retry at once; work that cannot start again
// and policies out of range are rejected.

#include <qtm/taskmanager.h>

#include "testhelpers.h"

#include <QtCore/QPromise>
#include <QtTest>

#include <atomic>
#include <optional>
#include <stdexcept>

using namespace std::chrono_literals;

namespace {

struct Retry
{
    int attempt;
    qint64 delayMs;
    QString errorText;
    friend bool operator==(const Retry &, const Retry &) = default;
};

//! Every taskRetrying() of a manager.
struct RetryLog
{
    explicit RetryLog(qtm::TaskManager &manager)
    {
        QObject::connect(&manager, &qtm::TaskManager::taskRetrying, &manager,
                         [this](const qtm::Task &task, int attempt, qint64 delayMs, const QString &errorText) {
                             retries.append({attempt, delayMs, errorText});
                             attemptSeen.append(task.attempt());
                         });
    }
    QList<Retry> retries;
    QList<int> attemptSeen;
};

//! A policy without jitter, so that the waits are exact.
qtm::RetryPolicy policy(int attempts, std::chrono::milliseconds initial, double multiplier = 2.0,
                        std::chrono::milliseconds maximum = 30s)
{
    return {.maxAttempts = attempts, .initialDelay = initial, .multiplier = multiplier, .maxDelay = maximum};
}

template<typename Work>
void expectRejected(qtm::TaskManager &manager, Work &&work, qtm::TaskOptions options, const char *message)
{
    try {
        manager.createTask(std::forward<Work>(work), std::move(options));
        QFAIL("the retry policy was accepted");
    } catch (const std::invalid_argument &error) {
        QVERIFY2(QByteArray(error.what()).contains(message), error.what());
    }
    QCOMPARE(manager.taskCount(), 0);
}

} // namespace

QT_BEGIN_NAMESPACE
namespace QTest {
template<>
char *toString(const Retry &retry)
{
    return qstrdup(QStringLiteral("attempt %1 in %2 ms after '%3'")
                       .arg(retry.attempt)
                       .arg(retry.delayMs)
                       .arg(retry.errorText)
                       .toUtf8()
                       .constData());
}
} // namespace QTest
QT_END_NAMESPACE

class tst_Retry : public QObject
{
    Q_OBJECT

private slots:
    void aFailingCoroutineIsStartedAgainAsOneTask()
    {
        qtm::TaskManager manager;
        qtmtest::EventLog log(&manager);
        RetryLog retries(manager);
        QList<int> attemptsInside;
        int calls = 0;
        const auto task = manager.createTask(
            [&]() -> qtm::Coro<int> {
                attemptsInside.append(qtm::this_task::attempt());
                if (++calls < 3)
                    throw std::runtime_error(QStringLiteral("boom %1").arg(calls).toStdString());
                co_return 42;
            },
            {.name = QStringLiteral("flaky"), .retry = policy(5, 10ms)});
        QCOMPARE(task.maxAttempts(), 5);
        QCOMPARE(task.attempt(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), 20000);
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
        QCOMPARE(task.future().result(), 42);
        QCOMPARE(task.future().resultCount(), 1);
        QCOMPARE(task.attempt(), 3);
        QCOMPARE(task.data().attempt, 3);
        QCOMPARE(attemptsInside, (QList<int>{1, 2, 3}));
        QCOMPARE(retries.retries, (QList<Retry>{{2, 10, QStringLiteral("boom 1")}, {3, 20, QStringLiteral("boom 2")}}));
        QCOMPARE(retries.attemptSeen, (QList<int>{2, 3}));
        QCOMPARE(log.eventsOf(QStringLiteral("flaky")),
                 (QStringList{QStringLiteral("created"), QStringLiteral("started"), QStringLiteral("retrying"),
                              QStringLiteral("retrying"), QStringLiteral("succeeded"), QStringLiteral("finished")}));
    }

    void theLastAttemptsErrorIsTheTasksAndTheWaitStopsAtMaxDelay()
    {
        qtm::TaskManager manager;
        RetryLog retries(manager);
        int calls = 0;
        const auto task = manager.createTask(
            [&]() -> qtm::Coro<void> {
                throw std::runtime_error(QStringLiteral("down %1").arg(++calls).toStdString());
                co_return;
            },
            {.retry = policy(4, 10ms, 10.0, 15ms)});
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), 20000);
        QCOMPARE(task.state(), qtm::TaskState::Failed);
        QCOMPARE(task.errorText(), QStringLiteral("down 4"));
        QCOMPARE(calls, 4);
        QList<qint64> delays;
        for (const Retry &retry : retries.retries)
            delays.append(retry.delayMs);
        QCOMPARE(delays, (QList<qint64>{10, 15, 15}));
    }

    void anErrorTheGivenPredicateTurnsDownIsFinal()
    {
        qtm::TaskManager manager;
        RetryLog retries(manager);
        int calls = 0;
        qtm::RetryPolicy onlyTimeouts = policy(5, 1ms);
        onlyTimeouts.retryIf = [](const std::exception_ptr &error) {
            try {
                std::rethrow_exception(error);
            } catch (const std::runtime_error &runtime) {
                return QByteArray(runtime.what()).contains("timeout");
            } catch (...) {
                return false;
            }
        };
        const auto task = manager.createTask(
            [&]() -> qtm::Coro<void> {
                ++calls;
                throw std::runtime_error(calls == 1 ? "timeout" : "404 not found");
                co_return;
            },
            {.retry = onlyTimeouts});
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), 20000);
        QCOMPARE(task.state(), qtm::TaskState::Failed);
        QCOMPARE(task.errorText(), QStringLiteral("404 not found"));
        QCOMPARE(calls, 2);
        QCOMPARE(retries.retries.size(), 1);
    }

    void aPredicateThatThrowsMeansNoRetry()
    {
        qtm::TaskManager manager;
        RetryLog retries(manager);
        qtm::RetryPolicy throwing = policy(5, 1ms);
        throwing.retryIf = [](const std::exception_ptr &) -> bool { throw std::logic_error("bad predicate"); };
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("retryIf\\(\\) of task .* threw")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("failed: first")));
        const auto task = manager.createTask(
            []() -> qtm::Coro<void> {
                throw std::runtime_error("first");
                co_return;
            },
            {.retry = throwing});
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), 20000);
        QCOMPARE(task.errorText(), QStringLiteral("first"));
        QVERIFY(retries.retries.isEmpty());
    }

    void aCancellationIsNeverRetried()
    {
        qtm::TaskManager manager;
        RetryLog retries(manager);
        QPromise<void> gate;
        gate.start();
        int calls = 0;
        const auto task = manager.createTask(
            [&]() -> qtm::Coro<void> {
                ++calls;
                co_await gate.future();
            },
            {.retry = policy(5, 1ms)});
        QTRY_COMPARE_WITH_TIMEOUT(task.state(), qtm::TaskState::Running, 20000);
        auto outcome = manager.cancelTask(task);
        QTRY_VERIFY_WITH_TIMEOUT(outcome.isFinished(), 20000);
        QCOMPARE(outcome.result(), qtm::CancelOutcome::Cancelled);
        QCOMPARE(calls, 1);
        QCOMPARE(task.attempt(), 1);
        QVERIFY(retries.retries.isEmpty());
    }

    void aCancelDuringTheWaitEndsTheTaskAtOnce()
    {
        qtm::TaskManager manager;
        int calls = 0;
        std::optional<QFuture<qtm::CancelOutcome>> outcome; // a default QFuture reads finished
        const auto task = manager.createTask(
            [&]() -> qtm::Coro<void> {
                ++calls;
                throw std::runtime_error("unreachable");
                co_return;
            },
            {.retry = policy(3, 1h)}); // a wait no test outlasts: only the cancel can end it
        connect(&manager, &qtm::TaskManager::taskRetrying, this,
                [&](const qtm::Task &retried) { outcome = manager.cancelTask(retried); });
        QTRY_VERIFY_WITH_TIMEOUT(outcome && outcome->isFinished(), 20000);
        QCOMPARE(outcome->result(), qtm::CancelOutcome::Cancelled);
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        QCOMPARE(calls, 1);
    }

    void theDeadlineBoundsEveryAttemptAndWait()
    {
        qtmtest::withADeadlineItStartsBefore([](std::chrono::milliseconds deadline, bool &started) {
            qtm::TaskManager manager;
            int calls = 0;
            const auto task = manager.createTask(
                [&]() -> qtm::Coro<void> {
                    ++calls;
                    throw std::runtime_error("unreachable");
                    co_return;
                },
                {.deadline = deadline, .retry = policy(3, 1h)});
            QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), 20000);
            QCOMPARE(task.state(), qtm::TaskState::Cancelled);
            QCOMPARE(task.cancelReason(), qtm::CancelReason::DeadlineExceeded);
            started = calls > 0;
            if (started) // the first attempt failed; the wait before the second outlasts the deadline
                QCOMPARE(calls, 1);
        });
    }

    void aThreadFunctionIsStartedAgainOnThePool()
    {
        qtm::TaskManager manager;
        qtmtest::EventLog log(&manager);
        RetryLog retries(manager);
        std::atomic<int> calls{0};
        QList<int> attemptsInside;
        QMutex lock;
        const auto task = manager.createTask(
            [&](qtm::TaskControl &) {
                {
                    const QMutexLocker locker(&lock);
                    attemptsInside.append(qtm::this_task::attempt());
                }
                if (++calls < 3)
                    throw std::runtime_error("busy");
                return 7;
            },
            {.name = QStringLiteral("pooled"), .retry = policy(3, 5ms)});
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), 20000);
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
        QCOMPARE(task.future().result(), 7);
        QCOMPARE(task.attempt(), 3);
        QCOMPARE(attemptsInside, (QList<int>{1, 2, 3}));
        QCOMPARE(retries.retries, (QList<Retry>{{2, 5, QStringLiteral("busy")}, {3, 10, QStringLiteral("busy")}}));
        QCOMPARE(log.eventsOf(QStringLiteral("pooled")),
                 (QStringList{QStringLiteral("created"), QStringLiteral("started"), QStringLiteral("retrying"),
                              QStringLiteral("retrying"), QStringLiteral("succeeded"), QStringLiteral("finished")}));
    }

    void aPlainThreadFunctionCanBeCancelledWhileItWaits()
    {
        qtm::TaskManager manager;
        std::atomic<int> calls{0};
        std::optional<QFuture<qtm::CancelOutcome>> outcome; // a default QFuture reads finished
        const auto task = manager.createTask(
            [&calls] {
                ++calls;
                throw std::runtime_error("busy");
            },
            {.retry = policy(3, 1h)});
        connect(&manager, &qtm::TaskManager::taskRetrying, this, [&](const qtm::Task &retried) {
            QVERIFY(retried.isCancellable()); // nothing runs between attempts
            outcome = manager.cancelTask(retried);
        });
        QTRY_VERIFY_WITH_TIMEOUT(outcome && outcome->isFinished(), 20000);
        QCOMPARE(outcome->result(), qtm::CancelOutcome::Cancelled);
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        QCOMPARE(calls.load(), 1);
    }

    void shutdownDuringTheWaitEndsTheTaskAndLeavesNothingDangling()
    {
        qtm::TaskManager manager;
        int retried = 0;
        connect(&manager, &qtm::TaskManager::taskRetrying, this, [&retried] { ++retried; });
        const auto task = manager.createTask([] { throw std::runtime_error("busy"); }, {.retry = policy(3, 1h)});
        QTRY_COMPARE_WITH_TIMEOUT(retried, 1, 20000);
        QVERIFY(manager.shutdown().isEmpty());
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
        QCOMPARE(task.cancelReason(), qtm::CancelReason::Shutdown);
    }

    void theJitterSpreadsEachWaitWithinItsFraction()
    {
        qtm::TaskManager manager;
        RetryLog retries(manager);
        qtm::RetryPolicy spread = policy(6, 20ms, 1.0);
        spread.jitter = 0.5;
        const auto task = manager.createTask(
            []() -> qtm::Coro<void> {
                throw std::runtime_error("again");
                co_return;
            },
            {.retry = spread});
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), 20000);
        QCOMPARE(retries.retries.size(), 5);
        for (const Retry &retry : retries.retries)
            QVERIFY2(retry.delayMs >= 10 && retry.delayMs <= 30, qPrintable(QString::number(retry.delayMs)));
    }

    void workThatCannotStartAgainAndPoliciesOutOfRangeAreRejected()
    {
        qtm::TaskManager manager;
        const auto once = []() -> qtm::Coro<void> { co_return; };
        expectRejected(manager, once(), {.name = QStringLiteral("coro"), .retry = policy(3, 1ms)},
                       "task 'coro' has a retry policy, but its work cannot start again: it is a single qtm::Coro");
        QPromise<int> producer;
        producer.start();
        expectRejected(manager, producer.future(), {.name = QStringLiteral("adopted"), .retry = policy(3, 1ms)},
                       "its work cannot start again: it is an adopted QFuture");
        expectRejected(
            manager, [](QPromise<int> &promise) { promise.addResult(1); },
            {.name = QStringLiteral("promise"), .retry = policy(3, 1ms)},
            "its work cannot start again: it is a function taking its own QPromise");
        expectRejected(manager, once, {.name = QStringLiteral("n"), .retry = policy(0, 1ms)},
                       "must allow at least 1 attempt (got 0)");
        expectRejected(manager, once, {.name = QStringLiteral("n"), .retry = policy(3, -1ms)},
                       "must not be negative (got initialDelay -1 ms");
        expectRejected(manager, once, {.name = QStringLiteral("n"), .retry = policy(3, 1ms, 0.5)},
                       "multiplier of task 'n' must be at least 1 (got 0.5)");
        qtm::RetryPolicy jittery = policy(3, 1ms);
        jittery.jitter = 2.0;
        expectRejected(manager, once, {.name = QStringLiteral("n"), .retry = jittery},
                       "jitter of task 'n' must be in [0, 1] (got 2)");
        producer.finish();
    }
};

QTEST_GUILESS_MAIN(tst_Retry)
#include "tst_retry.moc"
