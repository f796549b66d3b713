#pragma once

#include <qtm/detail/promise.h>

#include <coroutine>
#include <utility>

namespace qtm {

/*!
 * The coroutine type of QtTaskManager. Write a task as a function returning `qtm::Coro<T>` and hand the
 * result to TaskManager::createTask(); inside, `co_await` a QFuture, another task (TypedTask / Task), another
 * Coro, qtm::sleep(), qtm::yield(), qtm::signal() or qtm::shield(...).
 *
 * \b Lazy by design: calling a coroutine function creates its frame and runs nothing. It starts when the
 * manager schedules it on its loop, or when another coroutine awaits it. This is what lets a task that is
 * cancelled before it starts be destroyed without running a line, and what keeps creation cheap.
 *
 * Every `co_await` is a cancellation point: if the task is cancelled while suspended there, the awaited
 * operation itself is cancelled (future cancelled, timer stopped, signal disconnected) and the `co_await`
 * throws qtm::CancelledError, so destructors and `catch` blocks run.
 *
 * A Coro is move-only and owns its frame until it is handed over; a moved-from Coro is empty, and handing
 * an empty Coro to a manager or awaiting it is an error.
 *
 * \code
 * qtm::Coro<int> fetchAnswer(QNetworkReply *reply)
 * {
 *     co_await qtm::signal(reply, &QNetworkReply::finished, std::chrono::seconds(5));
 *     co_return reply->readAll().toInt();
 * }
 * auto task = manager.createTask(fetchAnswer(reply), "fetch answer");
 * \endcode
 */
template<typename T = void>
class [[nodiscard("a qtm::Coro does nothing until it is handed to a TaskManager or awaited")]] Coro
{
public:
    //! The promise type the compiler uses for a coroutine that returns a Coro<T>: internal to the library.
    using promise_type = detail::Promise<T>;
    //! The type the coroutine `co_return`s, and that `co_await` on it gives.
    using value_type = T;

    //! An empty Coro (isValid() is false).
    Coro() noexcept = default;
    //! Takes over \a other's frame; \a other becomes empty.
    Coro(Coro && other) noexcept : m_handle(std::exchange(other.m_handle, {})) { }
    //! Destroys the frame this Coro owns, if any, and takes over \a other's; \a other becomes empty.
    Coro &operator=(Coro &&other) noexcept
    {
        if (this != &other) {
            reset();
            m_handle = std::exchange(other.m_handle, {});
        }
        return *this;
    }
    Coro(const Coro &) = delete;
    Coro &operator=(const Coro &) = delete;
    //! Destroys the coroutine frame this Coro owns, if any (one handed to a manager no longer owns it). A
    //! coroutine destroyed before it started runs no line of its body; its parameters are destroyed.
    ~Coro()
    {
        reset();
    }

    //! False for a default-constructed or moved-from Coro.
    bool isValid() const noexcept
    {
        return bool(m_handle);
    }

    //! \cond internal
    //! \internal Gives up ownership of the frame (to a manager).
    std::coroutine_handle<promise_type> release() noexcept
    {
        return std::exchange(m_handle, {});
    }
    //! \internal
    std::coroutine_handle<promise_type> handle() const noexcept
    {
        return m_handle;
    }
    //! \endcond

private:
    friend class detail::Promise<T>;
    explicit Coro(std::coroutine_handle<promise_type> handle) noexcept : m_handle(handle) { }

    void reset() noexcept
    {
        if (m_handle)
            std::exchange(m_handle, {}).destroy();
    }

    std::coroutine_handle<promise_type> m_handle;
};

//! \cond internal
namespace detail {
template<typename T>
Coro<T> Promise<T>::get_return_object() noexcept
{
    return Coro<T>(std::coroutine_handle<Promise<T>>::from_promise(*this));
}
inline Coro<void> Promise<void>::get_return_object() noexcept
{
    return Coro<void>(std::coroutine_handle<Promise<void>>::from_promise(*this));
}
} // namespace detail
//! \endcond

} // namespace qtm

#include <qtm/detail/awaiters.h>
