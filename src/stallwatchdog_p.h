#pragma once

#include <qtm/detail/awaitsite.h>

#include <QtCore/QEvent>
#include <QtCore/QString>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

QT_BEGIN_NAMESPACE
class QObject;
QT_END_NAMESPACE

namespace qtm {
class TaskManagerPrivate;
}

namespace qtm::detail {

struct TaskRecord;

/*!
 * \internal
 * TaskManager::setStallReportThreshold(): a thread of its own that asks the manager's loop, every
 * threshold, to answer a posted event. When an answer has not come after the threshold, the loop is
 * stalled: it logs, once per stall, how long, which coroutine step holds the loop (the task and the
 * `co_await` it resumed from) or that no task step does, and the task graph; again only if another step
 * (or none) holds the loop before it turns. The graph is read from the registry and the records' locks,
 * as from any thread. The manager's loop only notes where each step begins and ends (stepBegins(),
 * stepEnds()).
 *
 * Made the first time the reports are turned on and kept until the manager is destroyed, so that the
 * loop may use it without a lock while any thread changes the threshold; with a zero threshold its
 * thread waits for a new one and asks nothing.
 */
class StallWatchdog
{
public:
    StallWatchdog(TaskManagerPrivate &manager, QObject *loopObject);
    ~StallWatchdog(); // stops the thread and joins it
    StallWatchdog(const StallWatchdog &) = delete;
    StallWatchdog &operator=(const StallWatchdog &) = delete;

    //! Any thread; zero turns the reports off.
    void setThreshold(std::chrono::milliseconds threshold);
    std::chrono::milliseconds threshold() const { return std::chrono::milliseconds(m_thresholdMs.load()); }
    bool isOn() const { return m_thresholdMs.load(std::memory_order_relaxed) > 0; }

    //! The type of the events the watchdog posts to the manager, whose event() passes them to answer().
    static QEvent::Type questionEventType();
    //! The loop's answer: it has turned.
    static void answer(QEvent &question);

    // The manager's thread, around each coroutine step.
    void stepBegins(const TaskRecord &task, SourceLocation resumedFrom);
    void stepEnds();

private:
    //! What the loop answers into, shared with the events posted to it (which may outlive the watchdog).
    struct Answers
    {
        std::mutex mutex;
        std::condition_variable changed;
        std::uint64_t answered = 0;
        bool stop = false;
    };
    //! "Has the loop turned?": posted to the manager; shares the answers, which it may outlive.
    struct Question : QEvent
    {
        Question(std::shared_ptr<Answers> answers, std::uint64_t asked)
            : QEvent(questionEventType()), answers(std::move(answers)), asked(asked)
        { }
        std::shared_ptr<Answers> answers;
        std::uint64_t asked;
    };
    //! The step running on the loop now, if any.
    struct Step
    {
        std::uint64_t sequence = 0; // counts beginnings and ends: a new value is a new holder of the loop
        bool running = false;
        quint64 taskId = 0;
        QString taskName;
        SourceLocation resumedFrom;
        std::int64_t beganNs = 0;
    };

    void run();
    std::uint64_t currentHolder();
    void report(std::chrono::milliseconds stalledFor);

    TaskManagerPrivate &m_manager;
    QObject *m_loopObject;
    std::atomic<qint64> m_thresholdMs{0};
    const std::shared_ptr<Answers> m_answers = std::make_shared<Answers>();
    std::mutex m_stepMutex;
    Step m_step;
    std::thread m_thread;
};

} // namespace qtm::detail
