#pragma once

#include <exception>

namespace qtm::detail {

/*!
 * \internal
 * Whether \a exception holds a qtm::CancelledError (or a class derived from it). False for a null
 * exception_ptr. Never throws, whatever the exception is.
 */
bool isCancellation(const std::exception_ptr &exception) noexcept;

/*!
 * \internal
 * True when isCancellation() can read the type of the exception from the exception_ptr itself (libstdc++),
 * false when it always rethrows the exception to ask (every other standard library, or the build option
 * QTM_PORTABLE_EXCEPTION_CHECK).
 */
bool isCancellationCheckedWithoutRethrow() noexcept;

} // namespace qtm::detail
