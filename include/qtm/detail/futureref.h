#pragma once

// The typed reference a task's record keeps to the task's own future, and a coroutine's result kept for a
// future asked for after the task ended.

#include <QtCore/QFutureInterface>
#include <QtCore/QList>

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
    const T &value() const { return m_value; }

private:
    T m_value;
};

/*!
 * The results of a group's children that succeeded, gathered in creation order (GroupRun::deliverResults())
 * and reported to the group's future at once: one entry in its result store, not one per child.
 */
class GroupResults
{
public:
    virtual ~GroupResults() = default;
    //! A child's result kept for a future never made (its KeptResult is a TypedKeptResult of the same T).
    virtual void addKept(const KeptResult &result) = 0;
    //! The results of a child's own future (a QFutureInterface<T> of the same T).
    virtual void addFrom(const QFutureInterfaceBase &future) = 0;
    virtual void reportTo(QFutureInterfaceBase &future) = 0;
};

template<typename T>
class TypedGroupResults final : public GroupResults
{
    static_assert(std::is_copy_constructible_v<T>, "a group's children's results are copied into its future");

public:
    void addKept(const KeptResult &result) override
    {
        m_values.append(static_cast<const TypedKeptResult<T> &>(result).value());
    }
    void addFrom(const QFutureInterfaceBase &future) override
    {
        QFuture<T> results = QFutureInterface<T>(future).future();
        const int count = results.resultCount();
        for (int index = 0; index < count; ++index)
            m_values.append(results.resultAt(index));
    }
    void reportTo(QFutureInterfaceBase &future) override
    {
        if (!m_values.isEmpty())
            QFutureInterface<T>(future).reportResults(m_values);
    }

private:
    QList<T> m_values;
};

//! Makes the GroupResults of a group of T; null for a group of void, which gathers nothing.
template<typename T>
std::unique_ptr<GroupResults> makeGroupResults()
{
    if constexpr (std::is_void_v<T>)
        return nullptr;
    else
        return std::make_unique<TypedGroupResults<T>>();
}

} // namespace qtm::detail
