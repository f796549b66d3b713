#pragma once

#include <qtm/detail/awaitsite.h>
#include <qtm/taskgraph.h>

#include <QtCore/QList>

#include <memory>

namespace qtm::detail {

struct TaskRecord;

//! What \a task waits on now, outermost coroutine first; empty unless it is a suspended coroutine task.
//! Any thread.
QList<AwaitFrame> awaitFramesOf(const TaskRecord &task);
//! The frames of a published await (\a innermost, in the child coroutines from \a enclosing out),
//! outermost first; the caller holds the lock of the record that published them.
QList<AwaitFrame> framesFrom(const AwaitSite *innermost, const ChildAwaitSite *enclosing);

//! "function file.cpp:42" (the file's name without its directories); empty for no place (a first step).
//! How the task graph, the stall reports and the trace name a `co_await`.
QString placeOf(const SourceLocation &where);

//! Builds TaskGraph values; its friend.
struct TaskGraphBuilder
{
    //! The graph of \a records (a registry's, in creation order), any thread.
    static TaskGraph capture(const QList<std::shared_ptr<TaskRecord>> &records);
};

} // namespace qtm::detail
