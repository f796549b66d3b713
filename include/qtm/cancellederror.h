#pragma once

#include <qtm/qtmglobal.h>

#include <QtCore/QString>

namespace qtm {

/*!
 * Thrown from a `co_await` in a coroutine task whose cancellation was requested, and from awaiting a
 * task or future that was cancelled.
 *
 * It deliberately does \e not derive from std::exception: a `catch (const std::exception &)` written
 * for ordinary errors must not swallow a cancellation by accident. Catch qtm::CancelledError by name
 * where cleanup needs it, and rethrow it unless the task really means to go on (a task that catches it
 * and returns normally has finished, not been cancelled).
 */
class QTM_EXPORT CancelledError
{
public:
    //! A cancellation, with \a reason for the logs.
    explicit CancelledError(QString reason = QStringLiteral("the task was cancelled"));

    //! Why the cancellation happened, for logs.
    QString reason() const { return m_reason; }

private:
    QString m_reason;
};

} // namespace qtm
