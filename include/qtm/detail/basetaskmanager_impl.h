#pragma once

// Template bodies of BaseTaskManager::createTask(). Included at the end of basetaskmanager.h.

namespace qtm::detail {

//! Keeps a coroutine lambda's captures alive for as long as the coroutine it returns: the callable lives
//! in this wrapper's frame, and the coroutine it made runs as this wrapper's child.
template<typename F>
auto keepCallableAlive(F function) -> std::invoke_result_t<F &>
{
    co_return co_await std::invoke(function);
}

/*!
 * A task's work with a retry policy: each attempt is a new coroutine from \a function; a failure the policy
 * retries is followed by a sleep on the manager's timer queue (a cancellation point: a cancel or the
 * deadline during the wait ends the task at once), and the next attempt.
 */
template<typename F>
auto retrying(F function, RetryPolicy policy) -> std::invoke_result_t<F &>
{
    for (int attempt = 1;; ++attempt) {
        std::exception_ptr error;
        try {
            co_return co_await std::invoke(function);
        } catch (...) {
            error = std::current_exception();
        }
        co_await sleep(retryDelayOrRethrow(policy, attempt, error));
    }
}

struct NotAPromise
{ };

//! False, but only once instantiated: for a static_assert in the branch no supported signature took.
template<typename>
inline constexpr bool AlwaysFalse = false;

//! True for a callable taking no arguments and returning a qtm::Coro (a coroutine lambda).
template<typename F>
concept ReturnsCoro = std::is_invocable_v<F &> && IsCoro<std::invoke_result_t<F &>>::value;

//! The T of a callable's `QPromise<T> &` parameter, or NotAPromise for any other callable (a function of
//! another signature, a generic lambda): then the one static_assert in createTask() explains, instead of
//! pages of template errors.
template<typename F, typename = void>
struct PromiseResult
{
    using type = NotAPromise;
};
template<typename F>
struct PromiseResult<F, std::void_t<decltype(&F::operator())>> : PromiseResult<decltype(&F::operator())>
{ };
template<typename R, typename T>
struct PromiseResult<R (*)(QPromise<T> &), void>
{
    using type = T;
};
template<typename R, typename C, typename T>
struct PromiseResult<R (C::*)(QPromise<T> &), void>
{
    using type = T;
};
template<typename R, typename C, typename T>
struct PromiseResult<R (C::*)(QPromise<T> &) const, void>
{
    using type = T;
};
template<typename R, typename C, typename T>
struct PromiseResult<R (C::*)(QPromise<T> &) noexcept, void>
{
    using type = T;
};
template<typename R, typename C, typename T>
struct PromiseResult<R (C::*)(QPromise<T> &) const noexcept, void>
{
    using type = T;
};

} // namespace qtm::detail

namespace qtm {

template<typename T>
TypedTask<T> BaseTaskManager::createTask(Coro<T> coroutine, const QString &name, std::optional<TaskContext> context)
{
    return createTask(std::move(coroutine), TaskOptions{.name = name, .context = std::move(context)});
}

template<typename T>
TypedTask<T> BaseTaskManager::createTask(QFuture<T> future, const QString &name, std::optional<TaskContext> context)
{
    return createTask(std::move(future), TaskOptions{.name = name, .context = std::move(context)});
}

template<detail::TaskFunction F>
auto BaseTaskManager::createTask(F &&function, const QString &name, std::optional<TaskContext> context)
{
    return createTask(std::forward<F>(function), TaskOptions{.name = name, .context = std::move(context)});
}

template<typename T>
TypedTask<T> BaseTaskManager::createTask(Coro<T> coroutine, TaskOptions options)
{
    return launchCoroutine(std::move(coroutine), std::move(options), false);
}

template<typename T>
TypedTask<T> BaseTaskManager::launchCoroutine(Coro<T> coroutine, TaskOptions options, bool restartable)
{
    const QString &name = options.name;
    if (!coroutine.isValid())
        detail::throwInvalidArgument("TaskManager::createTask",
                                     QStringLiteral("the coroutine for task '%1' is empty (default-constructed, moved "
                                                    "from, or already handed to a manager)")
                                         .arg(name));
    if (coroutine.handle().promise().m_task)
        detail::throwInvalidArgument("TaskManager::createTask",
                                     QStringLiteral("the coroutine for task '%1' already runs in a task").arg(name));
    // The task's future is made only if somebody asks for it (TypedTask::future()).
    detail::TaskLaunch launch(TaskKind::Coroutine, std::move(options), &detail::makeTaskFuture<T>);
    launch.restartable = restartable;
    auto handle = coroutine.release();
    launch.coroutine = handle;
    launch.promise = &handle.promise();
    return TypedTask<T>(launchTask(std::move(launch)));
}

template<typename T>
TypedTask<T> BaseTaskManager::createTask(QFuture<T> future, TaskOptions options)
{
    auto own = std::make_unique<detail::TypedTaskFutureRef<T>>();
    auto adopted = std::make_unique<detail::TypedAdoptedSource<T>>(future, own->typed());
    detail::TaskLaunch launch(TaskKind::Future, std::move(options), std::move(own));
    launch.adopted = std::move(adopted);
    return TypedTask<T>(launchTask(std::move(launch)));
}

template<detail::TaskFunction F>
auto BaseTaskManager::createTask(F &&function, TaskOptions options)
{
    using Function = std::decay_t<F>;
    if constexpr (detail::NullComparable<Function>) {
        if (function == nullptr)
            detail::throwInvalidArgument("TaskManager::createTask",
                                         QStringLiteral("the function for task '%1' is null").arg(options.name));
    }

    if constexpr (detail::ReturnsCoro<Function>) {
        using Result = std::invoke_result_t<Function &>;
        Result coroutine = options.retry ? detail::retrying(Function(std::forward<F>(function)), *options.retry)
                                         : detail::keepCallableAlive(Function(std::forward<F>(function)));
        return launchCoroutine(std::move(coroutine), std::move(options), true);
    } else {
        // The body holds a typed reference to the task's future for as long as it may write results.
        auto launchBody = [&]<typename Body, typename T>(std::type_identity<Body>, std::type_identity<T>) {
            auto future = std::make_unique<detail::TypedTaskFutureRef<T>>();
            auto body = std::make_unique<Body>(Function(std::forward<F>(function)), future->typed());
            detail::TaskLaunch launch(TaskKind::ThreadPool, std::move(options), std::move(future));
            launch.body = std::move(body);
            launch.restartable = !std::is_same_v<Body, detail::PromiseBody<T, Function>>;
            return TypedTask<T>(launchTask(std::move(launch)));
        };

        if constexpr (std::is_invocable_v<Function &, TaskControl &>) {
            using T = std::invoke_result_t<Function &, TaskControl &>;
            return launchBody(std::type_identity<detail::ControlBody<T, Function>>(), std::type_identity<T>());
#ifdef QTM_HAS_STOP_TOKEN
        } else if constexpr (std::is_invocable_v<Function &, std::stop_token>) {
            using T = std::invoke_result_t<Function &, std::stop_token>;
            return launchBody(std::type_identity<detail::StopTokenBody<T, Function>>(), std::type_identity<T>());
#endif
        } else if constexpr (std::is_invocable_v<Function &>) {
            using T = std::invoke_result_t<Function &>;
            return launchBody(std::type_identity<detail::PlainBody<T, Function>>(), std::type_identity<T>());
        } else if constexpr (!std::is_same_v<typename detail::PromiseResult<Function>::type, detail::NotAPromise>) {
            using T = typename detail::PromiseResult<Function>::type;
            return launchBody(std::type_identity<detail::PromiseBody<T, Function>>(), std::type_identity<T>());
        } else {
            static_assert(detail::AlwaysFalse<Function>,
                          "A thread-pool task's function must take `qtm::TaskControl &`, `std::stop_token`, "
                          "`QPromise<T> &`, or nothing, or return a qtm::Coro.");
        }
    }
}

} // namespace qtm
