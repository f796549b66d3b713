#pragma once

// The typed reference a task's record keeps to the task's own future, and a coroutine's result kept for a
// future asked for after the task ended.

#include <QtCore/QFutureInterface>

#include <memory>

namespace qtm::detail {

/*!
 * A typed reference to a task's own future, kept by the task's record for as long as it lives.
 * QFutureInterface<T>'s destructor clears the result store (without the future's lock) when it drops the
 * last typed reference: with this one alive, the results outlive whatever wrote them (a thread body, a
 * coroutine frame) and every handle an application drops, and no application thread drops the last
 * typed reference while a result is being written.
 */
class TaskFutureRef
{
public:
    virtual ~TaskFutureRef() = default;
    virtual QFutureInterfaceBase &base() = 0;
};

template<typename T>
class TypedTaskFutureRef final : public TaskFutureRef
{
public:
    TypedTaskFutureRef() { m_future.reportStarted(); }
    QFutureInterface<T> &typed() { return m_future; }
    QFutureInterfaceBase &base() override { return m_future; }

private:
    QFutureInterface<T> m_future;
};

//! Makes the future of a task whose result is a T, when first asked for (a coroutine task's).
using TaskFutureFactory = std::unique_ptr<TaskFutureRef> (*)();

template<typename T>
std::unique_ptr<TaskFutureRef> makeTaskFuture()
{
    return std::make_unique<TypedTaskFutureRef<T>>();
}

//! A coroutine task's result, kept for a future asked for after the task ended.
class KeptResult
{
public:
    virtual ~KeptResult() = default;
    //! Moves the result into \a future (a QFutureInterface<T> of the same T); once.
    virtual void reportTo(QFutureInterfaceBase &future) = 0;
};

template<typename T>
class TypedKeptResult final : public KeptResult
{
public:
    explicit TypedKeptResult(T &&value) : m_value(std::move(value)) { }
    void reportTo(QFutureInterfaceBase &future) override
    {
        QFutureInterface<T>(future).reportAndMoveResult(std::move(m_value));
    }

private:
    T m_value;
};

} // namespace qtm::detail
