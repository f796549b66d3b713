#pragma once

// The QCoro component (QtTaskManager::QCoro): awaiting QCoro's tasks and awaitables from a qtm::Coro, and
// running them as managed tasks. Built only when QCoro is found.

#include <qtm/coro.h>

#include <QCoroTask>

#include <QtCore/QFuture>
#include <QtCore/QPromise>

#include <concepts>
#include <exception>
#include <type_traits>
#include <utility>

namespace qtm::detail {

//! What `co_await awaitable` becomes in a QCoro coroutine: QCoro's own promise decides, so anything a
//! QCoro::Task can await (a QCoro::Task, an object with the awaiter methods, a QTimer, ...) qualifies.
template<typename Awaitable>
using QCoroAwaitableFor
    = decltype(std::declval<typename QCoro::Task<>::promise_type &>().await_transform(std::declval<Awaitable &>()));

template<typename Awaitable>
decltype(auto) qcoroAwaiterOf(Awaitable &&awaitable);

//! The value a QCoro coroutine gets from `co_await awaitable`, as stored in a QFuture.
template<typename Awaitable>
using QCoroResult = std::decay_t<decltype(qcoroAwaiterOf(std::declval<QCoroAwaitableFor<Awaitable>>()).await_resume())>;

template<typename Awaitable>
concept QCoroAwaitable = requires
{
    typename QCoroResult<Awaitable>;
};

template<typename T>
inline constexpr bool isQCoroTask = false;
template<typename T>
inline constexpr bool isQCoroTask<QCoro::Task<T>> = true;

} // namespace qtm::detail

namespace qtm {

/*!
 * Turns a QCoro::Task, or anything a QCoro coroutine can `co_await` (a QTimer, QCoro's
 * `qCoro(object).waitFor...()` operations, QCoro::sleepFor(), ...), into a qtm::Coro: `co_await` it in a
 * coroutine task, or hand it to TaskManager::createTask() to run it as a managed task.
 *
 * \code
 * QCoro::Task<QByteArray> download(QUrl url);        // written with QCoro
 *
 * qtm::Coro<int> countBytes(QUrl url)
 * {
 *     const QByteArray data = co_await qtm::fromQCoro(download(url));
 *     co_await qtm::fromQCoro(QCoro::sleepFor(std::chrono::milliseconds(100)));
 *     co_return data.size();
 * }
 * auto counted = manager.createTask(countBytes(url), "count");
 * auto fetched = manager.createTask(qtm::fromQCoro(download(url)), "download");  // a QCoro task, managed
 * \endcode
 *
 * \b Start. QCoro tasks start eagerly, and so does the QCoro side here: the awaiting begins inside this
 * call, in the calling thread, and goes on wherever QCoro resumes it. The returned Coro is lazy like every
 * Coro; it only waits for the QCoro side's outcome.
 *
 * \b Threads. Call fromQCoro() in the thread the QCoro coroutine runs in (QCoro's tasks are not meant to
 * be awaited from another thread). The Coro may run in any manager, whatever its thread: the two sides
 * meet only in a QFuture.
 *
 * \b Outcome. The QCoro side's value is the Coro's result; an exception it throws is rethrown from the
 * `co_await` (and fails a managed task, with that exception).
 *
 * \b Cancellation. QCoro has no cancellation: nothing can stop a QCoro coroutine from outside. Cancelling
 * the qtm task that waits (awaiting it, or running it with createTask()) makes it stop waiting at once:
 * the `co_await` throws qtm::CancelledError (a managed task ends as Cancelled) on the manager's next turn,
 * as at any other cancellation point. The QCoro coroutine is not told; it runs on to its end, and its result
 * or exception is then dropped. Its frame is destroyed when it ends, as QCoro always does. Work on the QCoro
 * side that must stop when the task is cancelled has to check something of its own (a flag, a QFuture).
 * The same holds for a managed task cancelled before it started, and at the manager's shutdown, which
 * therefore never waits for a QCoro coroutine.
 *
 * \b Ownership. An rvalue (a QCoro::Task, an awaitable object) is moved into the bridge, which keeps it
 * until the QCoro side ends. A QCoro::Task must be passed as an rvalue. An lvalue that cannot be copied
 * (a QTimer) is awaited in place, as a QCoro coroutine would, and must outlive the wait; a copyable lvalue
 * (a QTimer *) is copied.
 */
template<typename Awaitable>
requires detail::QCoroAwaitable<Awaitable>
[[nodiscard(
    "co_await the returned qtm::Coro, or hand it to TaskManager::createTask()")]] Coro<detail::QCoroResult<Awaitable>>
fromQCoro(Awaitable &&awaitable);

} // namespace qtm

#include <qtm/detail/qcorobridge.h>
