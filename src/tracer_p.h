#pragma once

#include <qtm/detail/awaitsite.h>
#include <qtm/taskenums.h>

#include <QtCore/QString>

#include <atomic>
#include <cstdint>

namespace qtm::detail {

struct TaskRecord;

/*!
 * \internal
 * The recording behind qtm::tracing (tracer.cpp). Each hook is called where the core does what it
 * records, and costs one relaxed load while nothing is recorded (trace::on()). Time stamps are the
 * steady clock's (TaskManagerPrivate::nowNs()).
 */
namespace trace {

extern std::atomic<bool> g_recording;
inline bool on() noexcept
{
    return g_recording.load(std::memory_order_relaxed);
}

//! Starts recording if QTM_TRACE names a file, and writes it at exit; once per process.
void initFromEnvironment();

//! The task's span begins (at \a createdNs, taken before it was published) and, when created by a task
//! step or function running on this thread, a flow arrow starts from it.
void taskCreated(const TaskRecord &task, std::int64_t createdNs);
//! The task's span ends; a failure is also an instant event.
void taskEnded(const TaskRecord &task, TaskState state, const QString &errorText);
//! One coroutine step or thread-pool function run, on this thread. The first (nothing to resume from: every
//! later step resumes from an await) ends the flow from the task's creator.
void slice(const TaskRecord &task, std::int64_t beganNs, std::int64_t endedNs, const SourceLocation &resumedFrom);
//! An await, nested in the task's span: began at site.sinceNs, ended now.
void awaitBegan(const TaskRecord &task, const AwaitSite &site);
void awaitEnded(const TaskRecord &task, const AwaitSite &site);
//! An instant event about \a task on this thread ("cancel requested", "cancel timed out").
void instant(const TaskRecord &task, const char *what);

} // namespace trace
} // namespace qtm::detail
