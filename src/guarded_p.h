#pragma once

#include <QtCore/QMutex>

namespace qtm::detail {

/*!
 * \internal
 * A value that is read and written only with its mutex held: the only way to it is lock(), whose
 * result holds the lock for as long as it lives. The rule "under the mutex" is carried by the type,
 * so a field cannot be touched without it.
 *
 * \code
 * task.shared.lock()->progressValue = value;      // one statement, one lock
 * {
 *     const auto shared = task.shared.lock();      // several fields, one lock
 *     data.progressValue = shared->progressValue;
 *     data.errorText = shared->errorText;
 * }
 * \endcode
 */
template<typename T>
class Guarded
{
public:
    class Locked
    {
    public:
        explicit Locked(const Guarded &guarded) : m_lock(&guarded.m_mutex), m_value(&guarded.m_value) { }
        Locked(const Locked &) = delete;
        Locked &operator=(const Locked &) = delete;

        T *operator->() const { return m_value; }
        T &operator*() const { return *m_value; }

    private:
        QMutexLocker<QMutex> m_lock;
        T *m_value;
    };

    template<typename... Args>
    explicit Guarded(Args &&...args) : m_value(std::forward<Args>(args)...)
    { }

    Locked lock() const { return Locked(*this); }

private:
    mutable QMutex m_mutex;
    mutable T m_value; // reached only through Locked, with the mutex held
};

} // namespace qtm::detail
