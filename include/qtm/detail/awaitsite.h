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
 * What one `co_await` waits on, and where. It lives in its awaiter, in the coroutine's frame, so
 * recording an await allocates nothing: suspendAt() stamps the time and publishes a pointer to it in the
 * task's record, under the record's lock, until the task resumes (CoroutineRun::resume() withdraws it
 * before the frame runs again). Readers in any thread (Task::awaiting(), the task graph) copy it out under
 * that lock. Kept small (40 bytes), as every pending task's frame holds one: what only some kinds need
 * is in the derived sites below, which the kind identifies.
 */
struct AwaitSite
{
    explicit AwaitSite(AwaitKind kind) noexcept : kind(kind) { }

    void setLocation(SourceLocation where) noexcept
    {
        file = where.file;
        function = where.function;
        line = where.line;
    }
    SourceLocation location() const noexcept { return {file, function, line}; }

    const char *file = nullptr; //!< of the `co_await` (static data)
    const char *function = nullptr;
    std::uint32_t line = 0;
    AwaitKind kind;
    std::int64_t sinceNs = 0; //!< when it suspended (steady clock, TaskManagerPrivate::nowNs())
    std::int64_t boundNs = -1; //!< a sleep's duration or a signal's time-out; -1: none
};

//! \internal
//! The site of an AwaitKind::Signal or AwaitKind::Task await: what it waits on, by name.
struct DetailedAwaitSite : AwaitSite
{
    using AwaitSite::AwaitSite;

    QMetaMethod signal; //!< the awaited signal
    const char *senderClass = nullptr; //!< its sender's class name (static data)
    QString senderName; //!< its sender's objectName, when the sender lives in the manager's thread
    quint64 awaitedTask = 0; //!< another task's id
    QString awaitedTaskName;
};

//! \internal
//! The site of an AwaitKind::Coroutine await (a child coroutine run inline): the awaits inside the child
//! are shown under it, and it under the child await that runs its own coroutine, if any.
struct ChildAwaitSite : AwaitSite
{
    using AwaitSite::AwaitSite;

    const ChildAwaitSite *outer = nullptr;
};

} // namespace qtm::detail
