#pragma once

#include <qtm/qtmglobal.h>

#include <chrono>
#include <stdexcept>

namespace qtm {

/*!
 * Thrown by `co_await qtm::timeout(bound, operation)` when the operation did not end within \a bound. The
 * operation was cancelled; the task was not: it may catch this and go on. Unlike qtm::CancelledError it
 * derives from std::exception, as any error the task may handle.
 */
class QTM_EXPORT TimeoutError : public std::runtime_error
{
public:
    //! The time-out of an operation that did not end within \a bound.
    explicit TimeoutError(std::chrono::nanoseconds bound);
    ~TimeoutError() override;

    //! The bound that expired.
    std::chrono::nanoseconds bound() const noexcept { return m_bound; }

private:
    std::chrono::nanoseconds m_bound;
};

} // namespace qtm
