#pragma once

#include <qtm/qtmglobal.h>

#include <QtCore/QObject>
#include <QtCore/QSharedDataPointer>
#include <QtCore/QVariant>

namespace qtm {

class TaskContextData;

/*!
 * The context a task runs with: key/value data the task can read while it runs
 * (`qtm::this_task::context()`), and an optional guard object whose destruction cancels every task bound
 * to it, so a member coroutine never outlives its object.
 *
 * A task gets, in this order of precedence: the context passed to createTask(); else the context of the
 * task that creates it (tasks inherit from their creator); else the manager's own context.
 *
 * An implicitly shared value type; copies are cheap and safe to pass between threads.
 */
class QTM_EXPORT TaskContext
{
public:
    //! An empty context: no values, no guard.
    TaskContext();
    //! A context with \a values and, if \a guard is not null, bound to \a guard (see setGuard()).
    explicit TaskContext(QVariantHash values, QObject *guard = nullptr);
    //! Shares \a other's data; the first change to either copy detaches it.
    TaskContext(const TaskContext &other);
    //! Shares \a other's data; the first change to either copy detaches it.
    TaskContext &operator=(const TaskContext &other);
    //! Drops this copy; the guard object, if any, is not affected.
    ~TaskContext();

    //! The value stored under \a key, or \a defaultValue if there is none.
    QVariant value(const QString &key, const QVariant &defaultValue = {}) const;
    //! Stores \a value under \a key, replacing any previous one, in this copy only. A task's context is
    //! fixed when the task is created: changing a copy afterwards does not reach the task.
    void setValue(const QString &key, const QVariant &value);
    //! Every key and value.
    QVariantHash values() const;

    //! The guard object, or null if none was set or it was destroyed.
    QObject *guard() const;
    //! Binds the tasks created with this context to \a guard: its destruction cancels them. The context
    //! does not own the guard; it watches it, so a destroyed guard reads as null. Null removes the guard.
    void setGuard(QObject *guard);
    //! True when a guard was set, even if it has been destroyed since.
    bool hasGuard() const;
    //! True when a guard was set and has been destroyed.
    bool isGuardDestroyed() const;

private:
    QSharedDataPointer<TaskContextData> d;
};

} // namespace qtm
