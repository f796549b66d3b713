#pragma once

// Template bodies of qtm::fromQCoro(). Included at the end of <qtm/qcoro.h>.
//
// The bridge is a QCoro coroutine that awaits the QCoro side and writes its outcome into a QPromise; the
// qtm side awaits the promise's QFuture, which a qtm::Coro already knows how to stop waiting for. The two
// sides share nothing but that future, whose every operation is thread-safe: the QCoro side may finish in
// any thread, after the qtm side is gone, and a result or exception it reports into a cancelled future is
// dropped by QFuture itself.

namespace qtm::detail {

template<typename Awaitable>
decltype(auto) qcoroAwaiterOf(Awaitable &&awaitable)
{
    if constexpr (requires { std::forward<Awaitable>(awaitable).operator co_await(); })
        return std::forward<Awaitable>(awaitable).operator co_await();
    else if constexpr (requires { operator co_await(std::forward<Awaitable>(awaitable)); })
        return operator co_await(std::forward<Awaitable>(awaitable));
    else
        return std::forward<Awaitable>(awaitable);
}

//! How the bridge holds what it awaits: by value, except an lvalue that cannot be copied (a QTimer),
//! which is awaited in place as in a QCoro coroutine.
template<typename Awaitable>
using QCoroStored = std::conditional_t<
    std::is_lvalue_reference_v<Awaitable> && !std::is_copy_constructible_v<std::remove_cvref_t<Awaitable>>, Awaitable,
    std::remove_cvref_t<Awaitable>>;

// QCoro coroutines start at once and, when nobody holds their QCoro::Task, destroy their own frame when
// they end: the caller drops the Task this returns, and the bridge lives exactly as long as the QCoro side.
template<typename T, typename Stored>
QCoro::Task<> runQCoroBridge(Stored awaitable, QPromise<T> promise)
{
    try {
        if constexpr (std::is_void_v<T>)
            co_await awaitable;
        else
            promise.addResult(co_await awaitable);
    } catch (...) {
        promise.setException(std::current_exception());
    }
    promise.finish();
}

// A plain QFuture await: the cancellation point. Cancelling the awaiting task cancels this future, which
// is all the bridge needs: the QCoro side's later outcome is not stored.
template<typename T>
Coro<T> awaitQCoroOutcome(QFuture<T> outcome)
{
    co_return co_await outcome;
}

} // namespace qtm::detail

namespace qtm {

template<typename Awaitable>
requires detail::QCoroAwaitable<Awaitable> Coro<detail::QCoroResult<Awaitable>> fromQCoro(Awaitable &&awaitable)
{
    static_assert(!(detail::isQCoroTask<std::remove_cvref_t<Awaitable>> && std::is_lvalue_reference_v<Awaitable>),
                  "qtm::fromQCoro() takes a QCoro::Task as an rvalue (the call itself, or std::move(task)): "
                  "the bridge keeps the task until it ends.");
    using T = detail::QCoroResult<Awaitable>;
    QPromise<T> promise;
    promise.start();
    QFuture<T> outcome = promise.future();
    detail::runQCoroBridge<T, detail::QCoroStored<Awaitable>>(std::forward<Awaitable>(awaitable), std::move(promise));
    return detail::awaitQCoroOutcome(std::move(outcome));
}

} // namespace qtm
