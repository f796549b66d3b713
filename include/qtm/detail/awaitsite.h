#pragma once

#include <qtm/taskenums.h>

#include <QtCore/QMetaMethod>
#include <QtCore/QString>

#include <cstdint>

namespace qtm::detail {

/*!
 * \internal
 * Where a `co_await` is written: the promise's await_transform() takes it as a default argument, so the
 * compiler writes the file, function and line of each await as constants. Not std::source_location, which
 * clang 14 and libc++ 14 do not have; these builtins are in GCC and clang alike.
 */
struct SourceLocation
{
    const char *file = nullptr;
    const char *function = nullptr;
    unsigned line = 0;

    static constexpr SourceLocation current(const char *file = __builtin_FILE(),
                                            const char *function = __builtin_FUNCTION(),
                                            unsigned line = __builtin_LINE()) noexcept
    {
        return {file, function, line};
    }
};

/*!
 * \internal
 * What a signal's or a task's await adds to its AwaitSite: kept in those awaiters only, so that the
 * awaits most code runs (sleeps, yields, child coroutines) construct nothing but plain values.
 */
struct AwaitDetails
{
    QMetaMethod signal; //!< the awaited signal
    const char *senderClass = nullptr; //!< its sender's class name (static data)
    QString senderName; //!< its sender's objectName, when the sender lives in the manager's thread
    quint64 awaitedTask = 0; //!< another task's id
    QString awaitedTaskName;
};

/*!
 * \internal
 * What one `co_await` waits on, and where. It lives in its awaiter, in the coroutine's frame, so
 * recording an await allocates nothing: suspendAt() stamps the time and publishes a pointer to it in the
 * task's record, under the record's lock, until the task resumes (CoroutineRun::resume() withdraws it
 * before the frame runs again). Readers in any thread (Task::awaiting(), the task graph) copy it out under
 * that lock. A child coroutine's await is the `outer` of the awaits inside it.
 */
struct AwaitSite
{
    explicit AwaitSite(AwaitKind kind) noexcept : kind(kind) { }

    AwaitKind kind;
    SourceLocation where;
    std::int64_t sinceNs = 0; //!< when it suspended (steady clock, TaskManagerPrivate::nowNs())
    std::int64_t boundNs = -1; //!< a sleep's duration or a signal's time-out; -1: none
    const AwaitDetails *details = nullptr; //!< a signal's or a task's, in its awaiter; null for the others
    const AwaitSite *outer = nullptr; //!< the await of the coroutine that runs this one, if any
};

} // namespace qtm::detail
