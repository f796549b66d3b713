#pragma once

#include <qtm/taskenums.h>

#include <QtCore/QDateTime>
#include <QtCore/QList>
#include <QtCore/QString>

namespace qtm {

namespace detail {
struct TaskGraphBuilder;
}

/*!
 * One level of what a suspended coroutine task waits on: a `co_await`, where it is written, what it
 * waits on and since when. A task suspended inside a child coroutine has one frame per coroutine, the
 * outermost first: each Coroutine frame is the `co_await` of the next frame's coroutine, and the last
 * frame is the await that suspended the task. Get them from Task::awaiting(), TaskData::awaiting or
 * TaskManager::captureTaskGraph().
 */
struct QTM_EXPORT AwaitFrame
{
    //! What the await waits on.
    AwaitKind kind = AwaitKind::Yield;
    //! What it waits on, for people: "sleep 250 ms", `task "parse" #4`, `signal timeout() of QTimer "poll"`.
    QString description;
    //! The source file of the `co_await`, as the compiler was given it.
    QString file;
    //! Its line in \a file.
    int line = 0;
    //! The function that holds the `co_await` (the coroutine's name).
    QString function;
    //! How long the await has waited, in milliseconds, when the frame was taken.
    qint64 waitingMs = 0;
    //! Time left before a sleep ends or a signal's time-out comes, in milliseconds; -1 when unbounded.
    qint64 remainingMs = -1;
    //! The awaited task's id (AwaitKind::Task, or the group's for AwaitKind::Group); 0 otherwise.
    quint64 awaitedTaskId = 0;
    //! The awaited task's name (AwaitKind::Task, AwaitKind::Group); empty otherwise.
    QString awaitedTaskName;

    //! "file.cpp:42": the file's name without its directories, and the line.
    QString location() const;
    //! One line: "fetch file.cpp:42 awaiting sleep 250 ms (120 ms left) for 130 ms"; \a withTimes false
    //! leaves out what depends on the clock (the time left and the time waited).
    QString toString(bool withTimes = true) const;
};

/*!
 * The live tasks of one manager at one moment, as a tree: each task under the task whose code created it
 * (TaskGraph::Node::parentId), each suspended coroutine with what it awaits and where, and who awaits
 * whom. Made by TaskManager::captureTaskGraph(), from any thread. A plain value: later changes of the
 * tasks do not change it.
 *
 * \code
 * qInfo().noquote() << manager.captureTaskGraph().toString();
 * // └── (T) import #1 [Running]
 * //     ├── import main.cpp:40 awaiting a coroutine for 1204 ms
 * //     │   └── readAll main.cpp:21 awaiting task "download" #2 for 1203 ms
 * //     └── (T) download #2 [Running]
 * //         └── download main.cpp:12 awaiting sleep 2000 ms (796 ms left) for 1204 ms
 * \endcode
 */
class QTM_EXPORT TaskGraph
{
public:
    //! One live task.
    struct Node
    {
        //! The task's id (Task::id()).
        quint64 id = 0;
        //! Its name, given or generated (Task::name()).
        QString name;
        //! How it runs.
        TaskKind kind = TaskKind::Coroutine;
        //! Where it was in its life.
        TaskState state = TaskState::Pending;
        //! The id of the task whose code created it (a coroutine step or a thread-pool function of the same
        //! manager); 0 when created from outside any task.
        quint64 parentId = 0;
        //! The id of the group it is in (Task::groupId()); 0 for none. While that group is live, the task is
        //! one of the group's children in the tree, whoever created it.
        quint64 groupId = 0;
        //! What a suspended coroutine waits on, outermost coroutine first; empty while it runs, and for the
        //! other kinds.
        QList<AwaitFrame> awaiting;
        //! The ids of the live tasks it created, and for a group its live children, in creation order.
        QList<quint64> children;
    };

    //! The live tasks in creation order.
    const QList<Node> &nodes() const { return m_nodes; }
    //! The task with \a id, or null if it was not live.
    const Node *node(quint64 id) const;
    //! The tasks neither created by another live task nor in a live group, in creation order: the tops of
    //! the tree.
    QList<quint64> roots() const;
    /*!
     * The cycles of tasks awaiting each other (a awaits b, which awaits a), each as the ids along it from its
     * lowest id, once each. Such tasks wait for ever unless one is cancelled; a task awaiting itself is
     * refused at its `co_await` and is never part of one.
     */
    QList<QList<quint64>> cycles() const;
    //! When the graph was taken.
    QDateTime capturedAt() const { return m_capturedAt; }

    /*!
     * The tree as text, one line per task and per await, in the manner of `python -m asyncio pstree`:
     * "(T) name #id [State]" for a task, "function file:line awaiting ..." for each await, the tasks a task
     * created under it, then one "cycle: a #1 -> b #2 -> a #1" line per cycle. \a withTimes false leaves out
     * what depends on the clock, for comparing graphs.
     */
    QString toString(bool withTimes = true) const;

private:
    friend struct detail::TaskGraphBuilder;
    QList<Node> m_nodes;
    QDateTime m_capturedAt;
};

} // namespace qtm
