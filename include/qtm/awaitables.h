#pragma once

#include <qtm/coro.h>

#include <chrono>
#include <optional>

namespace qtm {

/*!
 * Suspends the awaiting coroutine task for \a duration, on the manager's own timer queue (one Qt timer per
 * manager, however many tasks sleep). Cancelling the task stops the timer and throws qtm::CancelledError.
 * A negative duration is rejected with std::invalid_argument; a duration too long to count in nanoseconds
 * (`std::chrono::hours::max()`) means "practically never".
 * \code co_await qtm::sleep(std::chrono::milliseconds(250)); \endcode
 */
template<typename Rep, typename Period>
[[nodiscard("co_await the sleep")]] detail::SleepFor sleep(std::chrono::duration<Rep, Period> duration)
{
    if (duration < duration.zero())
        detail::throwInvalidArgument("sleep",
                                     QStringLiteral("the duration must not be negative (got %1 ns)")
                                         .arg(detail::saturatingNanoseconds(duration).count()));
    return detail::SleepFor{detail::saturatingNanoseconds(duration)};
}

//! Lets the manager's event loop turn once before the coroutine goes on. A cancellation point.
[[nodiscard("co_await the yield")]] inline detail::YieldNow yield()
{
    return {};
}

/*!
 * Awaits the next emission of \a signal by \a sender and returns its arguments: nothing for a signal
 * without arguments, the value for one, a std::tuple for several. If \a sender is destroyed first, the
 * `co_await` throws std::runtime_error; cancelling the task disconnects and throws qtm::CancelledError.
 * \code auto value = co_await qtm::signal(spinBox, &QSpinBox::valueChanged); \endcode
 */
template<typename Sender, typename Owner, typename... Args>
requires std::derived_from<Sender, Owner> && std::derived_from<Owner, QObject>
[[nodiscard("co_await the signal")]] auto signal(Sender *sender, void (Owner::*signal)(Args...))
{
    using Values = typename detail::SignalValues<std::decay_t<Args>...>::type;
    return detail::SignalWait<Owner, void (Owner::*)(Args...), Values, false>{sender, signal, std::nullopt};
}

/*!
 * As signal(sender, signal), bounded by \a timeout: returns std::optional of the values (a bool for a
 * signal without arguments), empty when the time-out came first. A negative time-out is rejected.
 */
template<typename Sender, typename Owner, typename... Args, typename Rep, typename Period>
requires std::derived_from<Sender, Owner> && std::derived_from<Owner, QObject>
[[nodiscard("co_await the signal")]] auto signal(Sender *sender, void (Owner::*signal)(Args...),
                                                 std::chrono::duration<Rep, Period> timeout)
{
    if (timeout < timeout.zero())
        detail::throwInvalidArgument("signal", QStringLiteral("the timeout must not be negative"));
    using Values = typename detail::SignalValues<std::decay_t<Args>...>::type;
    return detail::SignalWait<Owner, void (Owner::*)(Args...), Values, true>{sender, signal,
                                                                             detail::saturatingNanoseconds(timeout)};
}

/*!
 * Protects \a awaitable from cancellation: if the task is cancelled while it waits, the operation runs to
 * its end and its result is returned; the cancellation is not lost but delivered, as qtm::CancelledError,
 * at the next unshielded `co_await`. Use it for work that must not be cut in half (a commit, a reply).
 * \code auto saved = co_await qtm::shield(saveDocument()); \endcode
 */
template<typename Awaitable>
[[nodiscard("co_await the shielded operation")]] detail::Shielded<std::decay_t<Awaitable>> shield(Awaitable &&awaitable)
{
    return {std::forward<Awaitable>(awaitable)};
}

/*!
 * Bounds one await by \a bound, as asyncio's `timeout()` and `wait_for()`: if \a awaitable (anything a
 * qtm::Coro can `co_await`, a child coroutine included) has not ended by then, it is cancelled (a sleep's
 * timer stopped, a QFuture cancelled, a signal disconnected, a child coroutine unwound by CancelledError
 * through its own cleanup, which may await) and the `co_await` throws qtm::TimeoutError. That is not a
 * cancellation of the task: the task may catch it and go on. Awaiting another task only stops the wait;
 * the awaited task goes on (cancel it with cancelTask() if it should not).
 *
 * The task's own cancellation is never turned into a TimeoutError: it comes out as CancelledError. Inside
 * a qtm::shield() within the timeout the operation runs to its end and the timeout comes at the next await
 * after it. A negative bound is rejected with std::invalid_argument; `hours::max()` means "practically
 * never". The deadline is an entry in the manager's one timer queue.
 * \code
 * try {
 *     const QByteArray reply = co_await qtm::timeout(5s, fetch(url));
 * } catch (const qtm::TimeoutError &) {
 *     // fetch() was cancelled after 5 s; try a mirror
 * }
 * \endcode
 */
template<typename Rep, typename Period, typename Awaitable>
[[nodiscard("co_await the bounded operation")]] detail::Bounded<std::decay_t<Awaitable>>
timeout(std::chrono::duration<Rep, Period> bound, Awaitable &&awaitable)
{
    if (bound < bound.zero())
        detail::throwInvalidArgument("timeout",
                                     QStringLiteral("the bound must not be negative (got %1 ns)")
                                         .arg(detail::saturatingNanoseconds(bound).count()));
    return {detail::saturatingNanoseconds(bound), std::forward<Awaitable>(awaitable)};
}

} // namespace qtm
