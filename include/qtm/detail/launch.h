#pragma once

// What the createTask() templates hand, type-erased, to BaseTaskManager::launchTask().

#include <qtm/detail/futureref.h>
#include <qtm/detail/promise.h>
#include <qtm/taskcontext.h>
#include <qtm/taskenums.h>
#include <qtm/taskoptions.h>

#include <QtCore/QFuture>
#include <QtCore/QPromise>

#include <coroutine>
#include <memory>
#include <optional>
#include <version>

// std::stop_token functions, where the standard library has them (libc++ 14 does not: the library
// compiles without them there, and a function taking one is then an unsupported signature).
#if defined(__cpp_lib_jthread)
#include <stop_token>
#define QTM_HAS_STOP_TOKEN 1
#endif

namespace qtm {
class TaskControl;
}

namespace qtm::detail {

//! The function of a thread-pool task, with the code that stores its typed result.
class ThreadBody
{
public:
    virtual ~ThreadBody() = default;
    //! Runs on a pool thread. Returns normally or throws what the function threw.
    virtual void run(TaskControl &control, QFutureInterfaceBase &future) = 0;
    //! Whether the function can see a cancellation (it takes a TaskControl or a QPromise).
    virtual bool isCooperative() const = 0;
    //! Passes a cancellation on to a function that watches its own QPromise. Any thread.
    virtual void cancel() { }
    //! Passes suspension on to a function that watches its own QPromise. Any thread.
    virtual void setSuspended(bool) { }
    //! After success, in the manager's thread: moves results the function reported elsewhere (its own
    //! QPromise) into the task's future.
    virtual void deliverResults(QFutureInterfaceBase &) { }
    //! The future whose progress the function reports (its own QPromise's), if not the task's.
    virtual std::optional<QFuture<void>> progressSource() const { return std::nullopt; }
};

//! Copies the results of \a from into the (typed) future \a to.
template<typename T>
void copyResults(QFuture<T> &from, QFutureInterfaceBase &to)
{
    if constexpr (!std::is_void_v<T>) {
        // Read the results one by one: QFuture::results() returns nothing once the future is cancelled,
        // and a finished producer's future may still be cancelled by someone else after it finished.
        QFutureInterface<T> out(to);
        const int count = from.resultCount();
        if constexpr (std::is_copy_constructible_v<T>) {
            for (int index = 0; index < count; ++index)
                out.reportResult(from.resultAt(index), index);
        } else if (count > 0) {
            out.reportAndMoveResult(from.takeResult());
        }
    }
}

//! The future an adopted task tracks (the producer's), and the code that copies its typed results into
//! the task's own future. The task's own future is the manager's: it finishes only once the task's
//! state is final, like the other kinds.
class AdoptedSource
{
public:
    explicit AdoptedSource(QFutureInterfaceBase source) : source(std::move(source)) { }
    virtual ~AdoptedSource() = default;
    virtual void deliverResults(QFutureInterfaceBase &to) = 0;
    QFutureInterfaceBase source;
};

/*!
 * The typed future a thread body or an adopted source writes the task's results into. What keeps those
 * results alive, and keeps the last typed reference from being dropped by an application thread during a
 * write, is the record's TaskFutureRef (futureref.h); this is only the writer's handle on the same future.
 */
template<typename T>
class TaskOutput
{
public:
    explicit TaskOutput(QFutureInterface<T> future) : m_future(std::move(future)) { }
    QFutureInterface<T> &future() { return m_future; }

private:
    QFutureInterface<T> m_future;
};

template<typename T>
class TypedAdoptedSource final : public AdoptedSource
{
public:
    TypedAdoptedSource(const QFuture<T> &future, QFutureInterface<T> output)
        : AdoptedSource(QFutureInterfaceBase::get(future)), m_future(future), m_output(std::move(output))
    { }
    void deliverResults(QFutureInterfaceBase &to) override { copyResults(m_future, to); }

private:
    QFuture<T> m_future; // a typed reference keeps the producer's results alive until delivered
    TaskOutput<T> m_output;
};

//! What a group is (TaskKind::Group), beyond what every task is: see GroupOptions.
struct GroupSpec
{
    GroupPolicy policy = GroupPolicy::FailFast;
    int maxConcurrent = 0;
    std::unique_ptr<GroupResults> (*makeResults)() = nullptr;
};

struct TaskLaunch
{
    TaskKind kind = TaskKind::Coroutine;
    TaskOptions options; // name, context, priority, deadline, retry: as given to createTask()
    //! The work can start again (a callable returning a Coro, a thread function not taking a QPromise):
    //! only such work takes a retry policy.
    bool restartable = false;
    // The task's own future: made here (thread-pool and adopted tasks, whose work writes into it), or
    // made by the record when first asked for (coroutine tasks).
    std::unique_ptr<TaskFutureRef> future;
    TaskFutureFactory makeFuture = nullptr;

    // TaskKind::Coroutine: the root frame, owned by the launch until the manager takes it.
    std::coroutine_handle<> coroutine;
    PromiseBase *promise = nullptr;
    // TaskKind::ThreadPool
    std::unique_ptr<ThreadBody> body;
    // TaskKind::Future
    std::unique_ptr<AdoptedSource> adopted;
    // TaskKind::Group
    std::unique_ptr<GroupSpec> group;

    TaskLaunch(TaskKind kind, TaskOptions options, std::unique_ptr<TaskFutureRef> future)
        : kind(kind), options(std::move(options)), future(std::move(future))
    { }
    TaskLaunch(TaskKind kind, TaskOptions options, TaskFutureFactory makeFuture)
        : kind(kind), options(std::move(options)), makeFuture(makeFuture)
    { }
    TaskLaunch(TaskLaunch &&other) noexcept;
    TaskLaunch &operator=(TaskLaunch &&) = delete;
    //! Destroys a coroutine frame no manager took, so a rejected launch leaks nothing.
    ~TaskLaunch();
};

inline TaskLaunch::TaskLaunch(TaskLaunch &&other) noexcept
    : kind(other.kind), options(std::move(other.options)), restartable(other.restartable),
      future(std::move(other.future)), makeFuture(other.makeFuture), coroutine(std::exchange(other.coroutine, {})),
      promise(std::exchange(other.promise, nullptr)), body(std::move(other.body)), adopted(std::move(other.adopted)),
      group(std::move(other.group))
{ }

inline TaskLaunch::~TaskLaunch()
{
    if (coroutine)
        coroutine.destroy();
}

template<typename T, typename F>
class ControlBody final : public ThreadBody
{
public:
    ControlBody(F &&function, QFutureInterface<T> output) : m_function(std::move(function)), m_output(std::move(output))
    { }
    void run(TaskControl &control, QFutureInterfaceBase &) override
    {
        if constexpr (std::is_void_v<T>)
            std::invoke(m_function, control);
        else
            m_output.future().reportAndMoveResult(std::invoke(m_function, control));
    }
    bool isCooperative() const override { return true; }

private:
    F m_function;
    TaskOutput<T> m_output;
};

template<typename T, typename F>
class PlainBody final : public ThreadBody
{
public:
    PlainBody(F &&function, QFutureInterface<T> output) : m_function(std::move(function)), m_output(std::move(output))
    { }
    void run(TaskControl &, QFutureInterfaceBase &) override
    {
        if constexpr (std::is_void_v<T>)
            std::invoke(m_function);
        else
            m_output.future().reportAndMoveResult(std::invoke(m_function));
    }
    bool isCooperative() const override { return false; }

private:
    F m_function;
    TaskOutput<T> m_output;
};

#ifdef QTM_HAS_STOP_TOKEN
//! A function taking a std::stop_token: a cancellation of the task is a stop request on its token.
template<typename T, typename F>
class StopTokenBody final : public ThreadBody
{
public:
    StopTokenBody(F &&function, QFutureInterface<T> output)
        : m_function(std::move(function)), m_output(std::move(output))
    { }
    void run(TaskControl &, QFutureInterfaceBase &) override
    {
        if constexpr (std::is_void_v<T>)
            std::invoke(m_function, m_stop.get_token());
        else
            m_output.future().reportAndMoveResult(std::invoke(m_function, m_stop.get_token()));
    }
    bool isCooperative() const override { return true; }
    void cancel() override { m_stop.request_stop(); } // thread-safe, as std::stop_source promises

private:
    F m_function;
    std::stop_source m_stop;
    TaskOutput<T> m_output;
};
#endif

template<typename T, typename F>
class PromiseBody final : public ThreadBody
{
public:
    PromiseBody(F &&function, QFutureInterface<T> output) : m_function(std::move(function)), m_output(std::move(output))
    {
        m_promise.start();
    }
    // The function's QPromise has a state of its own, like an adopted future's producer: cancelling it
    // must not cancel the task's future, which the manager finishes once the task's state is final (with
    // the function's error, should it fail after a cancellation).
    void run(TaskControl &, QFutureInterfaceBase &) override { std::invoke(m_function, m_promise); }
    bool isCooperative() const override { return true; }
    void cancel() override { m_promise.future().cancel(); }
    void setSuspended(bool suspended) override { m_promise.future().setSuspended(suspended); }
    std::optional<QFuture<void>> progressSource() const override { return QFuture<void>(m_promise.future()); }
    void deliverResults(QFutureInterfaceBase &to) override
    {
        m_promise.finish(); // the function has returned; QFuture::results() would wait for this
        QFuture<T> results = m_promise.future();
        copyResults(results, to);
    }

private:
    F m_function;
    QPromise<T> m_promise;
    TaskOutput<T> m_output;
};

} // namespace qtm::detail
