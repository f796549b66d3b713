#pragma once

// Shared by the unit tests: an event log of a manager's signals, a counter of live objects, and a
// check that the event loop keeps turning.

#include <qtm/taskmanager.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QMetaMethod>
#include <QtCore/QObject>
#include <QtCore/QStringList>
#include <QtCore/QTimer>
#include <QtTest/QTest>

#include <atomic>
#include <chrono>

namespace qtmtest {

//! Records every signal of a manager as "event:name" lines, in order.
class EventLog : public QObject
{
public:
    explicit EventLog(qtm::BaseTaskManager *manager)
    {
        using M = qtm::BaseTaskManager;
        connect(manager, &M::taskCreated, this, [this](const qtm::Task &t) { add(QStringLiteral("created"), t); });
        connect(manager, &M::taskStarted, this, [this](const qtm::Task &t) { add(QStringLiteral("started"), t); });
        connect(manager, &M::taskProgressChanged, this,
                [this](const qtm::Task &t) { add(QStringLiteral("progress"), t); });
        connect(manager, &M::taskSucceeded, this, [this](const qtm::Task &t) { add(QStringLiteral("succeeded"), t); });
        connect(manager, &M::taskFailed, this, [this](const qtm::Task &t, const QString &error) {
            add(QStringLiteral("failed"), t);
            errors.append(error);
        });
        connect(manager, &M::taskCancelled, this, [this](const qtm::Task &t) { add(QStringLiteral("cancelled"), t); });
        connect(manager, &M::taskRetrying, this, [this](const qtm::Task &t) { add(QStringLiteral("retrying"), t); });
        connect(manager, &M::taskFinished, this, [this](const qtm::Task &t) {
            add(QStringLiteral("finished"), t);
            ++finishedCount;
        });
    }

    //! The events of one task, progress ticks collapsed into one "progress" entry.
    QStringList eventsOf(const QString &name) const
    {
        QStringList result;
        for (const QString &line : lines) {
            const auto event = line.section(QLatin1Char(':'), 0, 0);
            if (line.section(QLatin1Char(':'), 1) != name)
                continue;
            if (event == QLatin1String("progress") && !result.isEmpty() && result.last() == event)
                continue;
            result.append(event);
        }
        return result;
    }

    QStringList lines;
    QStringList errors;
    int finishedCount = 0;

private:
    void add(const QString &event, const qtm::Task &task) { lines.append(event + QLatin1Char(':') + task.name()); }
};

//! The cancel reason each taskCancelled() slot saw, by task name.
struct CancelledReasons
{
    explicit CancelledReasons(qtm::TaskManager &manager)
    {
        QObject::connect(&manager, &qtm::TaskManager::taskCancelled, &manager,
                         [this](const qtm::Task &task) { reasons.insert(task.name(), task.cancelReason()); });
    }
    QHash<QString, qtm::CancelReason> reasons;
};

//! Counts live instances: a frame or capture holding one shows whether it was destroyed.
struct LifeCounter
{
    static inline std::atomic<int> alive{0};
    static inline std::atomic<int> constructed{0};
    LifeCounter() { ++alive, ++constructed; }
    LifeCounter(const LifeCounter &) { ++alive, ++constructed; }
    LifeCounter(LifeCounter &&) noexcept { ++alive, ++constructed; }
    ~LifeCounter() { --alive; }
    static void reset() { alive = 0, constructed = 0; }
};

//! Counts the loop's turns through a zero-interval timer: proof that the loop kept running.
class LoopTurns : public QObject
{
public:
    LoopTurns()
    {
        connect(&m_timer, &QTimer::timeout, this, [this] { ++turns; });
        m_timer.start(0);
    }
    int turns = 0;

private:
    QTimer m_timer;
};

//! Emits on demand; used to test awaiting signals.
class Emitter : public QObject
{
    Q_OBJECT
public:
    //! Whether something (an awaiting task) is connected to \a signal now.
    template<typename Signal>
    bool isConnected(Signal signal) const
    {
        return isSignalConnected(QMetaMethod::fromSignal(signal));
    }

Q_SIGNALS:
    void nothing();
    void value(int v);
    void pair(int a, const QString &b);
};

//! Runs \a attempt(deadline, started) with a deadline of 30 ms, then 60 ms, 120 ms... until \a attempt
//! reports that the work it created started before its deadline. A deadline counts from the task's
//! creation, so on a slow machine (valgrind, a loaded CI runner) a short one can pass before the loop gets
//! to the task, which then ends unrun: correct, but not what a test of a running task's deadline tests.
//! Fails the test if even a deadline of a minute passed first.
template<typename Attempt>
void withADeadlineItStartsBefore(Attempt attempt)
{
    using namespace std::chrono_literals;
    for (std::chrono::milliseconds deadline = 30ms; deadline <= 1min; deadline *= 2) {
        bool started = false;
        attempt(deadline, started);
        if (started || QTest::currentTestFailed())
            return;
        qInfo("the deadline of %lld ms passed before the task started; trying a longer one",
              static_cast<long long>(deadline.count()));
    }
    QFAIL("even a deadline of a minute passed before the task started");
}

} // namespace qtmtest
