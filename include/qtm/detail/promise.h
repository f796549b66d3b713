#pragma once

#include <qtm/detail/futureref.h>
#include <qtm/detail/hooks.h>

#include <QtCore/QFutureInterface>

#include <coroutine>
#include <exception>
#include <memory>
#include <optional>

namespace qtm {
template<typename T>
class Coro;
}

namespace qtm::detail {

template<typename T>
struct Awaiter; // toAwaiter() overloads, in awaiters.h

//! What every qtm::Coro promise shares, whatever its result type.
class PromiseBase
{
public:
    //! Lazy start: a Coro runs nothing until a manager schedules it or a coroutine awaits it.
    std::suspend_always initial_suspend() noexcept { return {}; }

    struct FinalAwaiter
    {
        bool await_ready() noexcept { return false; }
        template<typename Promise>
        std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> finished) noexcept
        {
            // A child returns to the coroutine that awaited it; a task's root returns to the manager,
            // which reads the result and destroys the frame.
            auto continuation = finished.promise().m_continuation;
            return continuation ? continuation : std::noop_coroutine();
        }
        void await_resume() noexcept { }
    };
    FinalAwaiter final_suspend() noexcept { return {}; }

    void unhandled_exception() noexcept { m_exception = std::current_exception(); }

    //! The task this coroutine runs in; set before its first resumption.
    TaskRecord *m_task = nullptr;
    //! The coroutine that awaits this one, or null for a task's root coroutine.
    std::coroutine_handle<> m_continuation;
    std::exception_ptr m_exception;

    //! For a task's root: moves the coroutine's result into the task's future.
    virtual void deliverResult(QFutureInterfaceBase &future) = 0;
    //! For a task's root whose future nobody asked for yet: moves the result out of the frame, which is
    //! about to be destroyed (null for Coro<void>).
    virtual std::unique_ptr<KeptResult> keepResult() = 0;

    //! Turns whatever is co_awaited into an awaiter bound to this task (in awaiters.h); \a where, left to
    //! its default, is the place of the `co_await`.
    template<typename Awaitable>
    auto await_transform(Awaitable &&awaitable, SourceLocation where = SourceLocation::current());

protected:
    ~PromiseBase() = default;
};

template<typename T>
class Promise final : public PromiseBase
{
public:
    Coro<T> get_return_object() noexcept;

    template<typename U = T>
    void return_value(U &&value)
    {
        m_value.emplace(std::forward<U>(value));
    }

    T takeResult()
    {
        if (m_exception)
            std::rethrow_exception(m_exception);
        return std::move(*m_value);
    }

    void deliverResult(QFutureInterfaceBase &future) override
    {
        QFutureInterface<T>(future).reportAndMoveResult(std::move(*m_value));
    }
    std::unique_ptr<KeptResult> keepResult() override
    {
        return std::make_unique<TypedKeptResult<T>>(std::move(*m_value));
    }

private:
    std::optional<T> m_value;
};

template<>
class Promise<void> final : public PromiseBase
{
public:
    Coro<void> get_return_object() noexcept;
    void return_void() noexcept { }

    void takeResult()
    {
        if (m_exception)
            std::rethrow_exception(m_exception);
    }

    void deliverResult(QFutureInterfaceBase &) override { }
    std::unique_ptr<KeptResult> keepResult() override { return nullptr; }
};

} // namespace qtm::detail
