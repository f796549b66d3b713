// Finds what stalls the manager's loop while it is stalled (TaskManager::setStallReportThreshold()).

#include "stallwatchdog_p.h"

#include "taskgraph_p.h"
#include "taskmanager_p.h"
#include "taskrecord_p.h"

#include "tsan_p.h"

#include <QtCore/QCoreApplication>

namespace qtm::detail {

StallWatchdog::StallWatchdog(TaskManagerPrivate &manager, QObject *loopObject)
    : m_manager(manager), m_loopObject(loopObject), m_thread([this] { run(); })
{ }

void StallWatchdog::setThreshold(std::chrono::milliseconds threshold)
{
    {
        const std::lock_guard lock(m_answers->mutex);
        m_thresholdMs.store(threshold.count());
    }
    m_answers->changed.notify_all();
}

StallWatchdog::~StallWatchdog()
{
    {
        const std::lock_guard lock(m_answers->mutex);
        m_answers->stop = true;
    }
    m_answers->changed.notify_all();
    m_thread.join();
}

void StallWatchdog::stepBegins(const TaskRecord &task, SourceLocation resumedFrom)
{
    const std::lock_guard lock(m_stepMutex);
    ++m_step.sequence;
    m_step.running = true;
    m_step.taskId = task.id;
    m_step.taskName = task.displayName();
    m_step.resumedFrom = resumedFrom;
    m_step.beganNs = TaskManagerPrivate::nowNs();
}

void StallWatchdog::stepEnds()
{
    const std::lock_guard lock(m_stepMutex);
    ++m_step.sequence;
    m_step.running = false;
}

std::uint64_t StallWatchdog::currentHolder()
{
    const std::lock_guard lock(m_stepMutex);
    return m_step.sequence + 1; // never 0, which stands for "not reported yet"
}

void StallWatchdog::run()
{
    Answers &answers = *m_answers;
    std::uint64_t asked = 0;
    std::unique_lock lock(answers.mutex);
    while (!answers.stop) {
        answers.changed.wait(lock, [&] { return answers.stop || m_thresholdMs.load() > 0; });
        if (answers.stop)
            break;
        const std::chrono::milliseconds threshold(m_thresholdMs.load());
        // Ask the loop to answer, and give it the threshold to do so.
        ++asked;
        lock.unlock();
        auto *question = new Question(m_answers, asked);
        tsanRelease(question); // TaskManager::event() acquires: Qt's event queue is out of ThreadSanitizer's sight
        QCoreApplication::postEvent(m_loopObject, question);
        const auto askedAt = std::chrono::steady_clock::now();
        lock.lock();
        const auto answeredOrStopped = [&] { return answers.answered >= asked || answers.stop; };
        // Stalled: one report, then wait for the loop to come back, however long that takes; reported again
        // only if another holds it meanwhile (a step begins or ends without the loop turning).
        std::uint64_t reported = 0;
        while (!answers.changed.wait_for(lock, threshold, answeredOrStopped)) {
            lock.unlock();
            const std::uint64_t holder = currentHolder();
            if (holder != reported) {
                reported = holder;
                report(
                    std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - askedAt));
            }
            lock.lock();
        }
        // Ask again one threshold later (an idle loop answers one event per threshold, no more), or at once
        // with a new threshold.
        answers.changed.wait_for(lock, threshold,
                                 [&] { return answers.stop || m_thresholdMs.load() != threshold.count(); });
    }
}

QEvent::Type StallWatchdog::questionEventType()
{
    static const auto type = QEvent::Type(QEvent::registerEventType());
    return type;
}

void StallWatchdog::answer(QEvent &event)
{
    auto &question = static_cast<Question &>(event);
    {
        const std::lock_guard lock(question.answers->mutex);
        question.answers->answered = std::max(question.answers->answered, question.asked);
    }
    question.answers->changed.notify_all();
}

void StallWatchdog::report(std::chrono::milliseconds stalledFor)
{
    QString holder;
    {
        const std::lock_guard lock(m_stepMutex);
        if (!m_step.running) {
            holder = QStringLiteral("no task step is running (the loop is held outside the manager's tasks)");
        } else {
            const qint64 stepMs = (TaskManagerPrivate::nowNs() - m_step.beganNs) / 1'000'000;
            const QString from = m_step.resumedFrom.file
                ? QStringLiteral("resumed at %1").arg(placeOf(m_step.resumedFrom))
                : QStringLiteral("its first step");
            holder = QStringLiteral("task \"%1\" #%2 holds it, in the step %3, running for %4 ms")
                         .arg(m_step.taskName)
                         .arg(m_step.taskId)
                         .arg(from)
                         .arg(stepMs);
        }
    }
    // The first lines of the graph: enough to see what holds the loop, without a log line per task of a
    // manager with a million of them.
    constexpr qsizetype maxLines = 200;
    QString graph = TaskGraphBuilder::capture(m_manager.registry.records()).toString();
    if (const qsizetype lines = graph.count(QLatin1Char('\n')) + 1; lines > maxLines)
        graph = graph.section(QLatin1Char('\n'), 0, maxLines - 1)
            + QStringLiteral("\n(%1 more lines: TaskManager::captureTaskGraph() has them all)").arg(lines - maxLines);
    qCWarning(lcTasks).noquote() << QStringLiteral("the event loop has not turned for %1 ms: %2; task graph:\n%3")
                                        .arg(stalledFor.count())
                                        .arg(holder, graph.isEmpty() ? QStringLiteral("(no live task)") : graph);
}

} // namespace qtm::detail
