#pragma once

#include <qtm/detail/cancellationregistration.h>

#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <chrono>
#include <coroutine>
#include <memory>
#include <optional>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>

namespace qtm::detail {

// Qt's private signals end with an empty tag argument (QPrivateSignal) that carries no value: drop it.
template<typename... Args>
struct SignalValues;
template<>
struct SignalValues<>
{
    using type = std::tuple<>;
};
template<typename First, typename... Rest>
struct SignalValues<First, Rest...>
{
    using type = std::conditional_t<sizeof...(Rest) == 0 && std::is_empty_v<First>, std::tuple<>,
                                    decltype(std::tuple_cat(std::declval<std::tuple<First>>(),
                                                            std::declval<typename SignalValues<Rest...>::type>()))>;
};

template<typename Tuple>
struct SignalResult;
template<>
struct SignalResult<std::tuple<>>
{
    using type = void;
    using timed = bool; // with a time-out: true when the signal came
};
template<typename V>
struct SignalResult<std::tuple<V>>
{
    using type = V;
    using timed = std::optional<V>;
};
template<typename... V>
requires(sizeof...(V) > 1) struct SignalResult<std::tuple<V...>>
{
    using type = std::tuple<V...>;
    using timed = std::optional<std::tuple<V...>>;
};

//! \internal
//! qtm::signal(): a connection in the manager's thread resumes the coroutine with the signal's values;
//! the sender's destruction and an optional time-out end the wait too.
template<typename Sender, typename Signal, typename Values, bool Timed>
class SignalAwaiter;

template<typename Sender, typename Signal, typename... V, bool Timed>
class SignalAwaiter<Sender, Signal, std::tuple<V...>, Timed>
{
    // Callbacks may be queued (a sender in another thread) and delivered after this awaiter is gone:
    // they reach it only through this shared slot, which the awaiter empties when it stops waiting.
    struct Link
    {
        SignalAwaiter *awaiter = nullptr;
    };

    struct Receiver
    {
        std::shared_ptr<Link> link;
        void operator()(const V &...values) const
        {
            if (auto *awaiter = link->awaiter) {
                awaiter->m_values.emplace(values...);
                awaiter->finish();
            }
        }
    };

public:
    SignalAwaiter(TaskRecord *task, Sender *sender, Signal signal, std::optional<std::chrono::nanoseconds> timeout)
        : m_task(task), m_sender(sender), m_signal(signal), m_timeout(timeout)
    { }
    SignalAwaiter(SignalAwaiter &&other) noexcept
        : m_task(other.m_task), m_sender(other.m_sender), m_signal(other.m_signal), m_timeout(other.m_timeout),
          m_site(other.m_site)
    { }
    ~SignalAwaiter() { tearDown(); }

    bool await_ready() const noexcept { return false; }

    bool await_suspend(std::coroutine_handle<> awaiting)
    {
        if (isCancelPending(m_task))
            return false;
        if (!m_sender) {
            m_senderGone = true;
            return false;
        }
        describe();
        suspendAt(m_task, awaiting, m_site);
        m_link = std::make_shared<Link>(Link{this});
        QObject *context = loopObject(m_task);
        m_connection = QObject::connect(m_sender.data(), m_signal, context, Receiver{m_link});
        m_destroyedConnection = QObject::connect(m_sender.data(), &QObject::destroyed, context, [link = m_link] {
            if (auto *awaiter = link->awaiter) {
                awaiter->m_senderGone = true;
                awaiter->finish();
            }
        });
        if (m_timeout)
            m_timer = startTimer(m_task, *m_timeout, &SignalAwaiter::timedOut, this);
        m_cancellation.arm(m_task, &SignalAwaiter::cancel, this);
        return true;
    }

    //! Without a time-out: the signal's values. With one: std::optional of them (bool for no values).
    auto await_resume()
    {
        throwIfCancelPending(m_task);
        if (m_senderGone && !m_values)
            throw std::runtime_error("qtm::signal: the sender was destroyed before it emitted the awaited signal");
        using Result = SignalResult<std::tuple<V...>>;
        if constexpr (Timed) {
            if constexpr (sizeof...(V) == 0)
                return typename Result::timed(m_values.has_value());
            else if constexpr (sizeof...(V) == 1)
                return m_values ? typename Result::timed(std::get<0>(std::move(*m_values))) : typename Result::timed();
            else
                return m_values ? typename Result::timed(std::move(*m_values)) : typename Result::timed();
        } else {
            if constexpr (sizeof...(V) == 0)
                return;
            else if constexpr (sizeof...(V) == 1)
                return std::get<0>(std::move(*m_values));
            else
                return std::move(*m_values);
        }
    }

    void setLocation(SourceLocation where) noexcept { m_site.setLocation(where); }

private:
    //! What the graph shows: the signal, its sender's class, and its name if it lives in this thread
    //! (reading another thread's objectName would race with its setObjectName()).
    void describe()
    {
        m_site.signal = QMetaMethod::fromSignal(m_signal);
        m_site.senderClass = m_sender->metaObject()->className();
        if (m_sender->thread() == loopObject(m_task)->thread())
            m_site.senderName = m_sender->objectName();
        if (m_timeout)
            m_site.boundNs = m_timeout->count();
    }

    void finish()
    {
        tearDown();
        resumeLater(m_task);
    }
    static void timedOut(void *self)
    {
        auto *awaiter = static_cast<SignalAwaiter *>(self);
        awaiter->m_timer = {};
        awaiter->finish();
    }
    static void cancel(void *self) { static_cast<SignalAwaiter *>(self)->tearDown(); }

    void tearDown()
    {
        if (m_link)
            std::exchange(m_link, {})->awaiter = nullptr;
        QObject::disconnect(m_connection);
        QObject::disconnect(m_destroyedConnection);
        if (m_timer)
            stopTimer(m_task, std::exchange(m_timer, {}));
    }

    TaskRecord *m_task;
    QPointer<Sender> m_sender;
    Signal m_signal;
    std::optional<std::chrono::nanoseconds> m_timeout;
    std::shared_ptr<Link> m_link;
    QMetaObject::Connection m_connection;
    QMetaObject::Connection m_destroyedConnection;
    TimerId m_timer;
    std::optional<std::tuple<V...>> m_values;
    bool m_senderGone = false;
    DetailedAwaitSite m_site{AwaitKind::Signal};
    CancellationRegistration m_cancellation;
};

} // namespace qtm::detail
