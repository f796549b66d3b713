// Telling a cancellation from a failure, given only the exception_ptr a task ended with.

#include "exceptiontype_p.h"

#include <qtm/cancellederror.h>

#include <typeinfo>

// The standard has no way to ask an exception_ptr for the type of its exception without rethrowing it.
// libstdc++ offers one, the public member std::exception_ptr::__cxa_exception_type() (RTTI needed);
// libc++ (its exception_ptr has no such member; abi::__cxa_current_exception_type() only answers inside a
// handler, that is after a rethrow) and MSVC's library do not. QTM_PORTABLE_EXCEPTION_CHECK turns the
// shortcut off so that the portable path below can be tested on libstdc++ too.
#if defined(__GLIBCXX__) && (defined(__cpp_rtti) || defined(__GXX_RTTI)) && !defined(QTM_PORTABLE_EXCEPTION_CHECK)
#define QTM_EXCEPTION_TYPE_WITHOUT_RETHROW 1
#endif

namespace qtm::detail {

bool isCancellation(const std::exception_ptr &exception) noexcept
{
    if (!exception)
        return false; // rethrowing a null exception_ptr is undefined behaviour
#ifdef QTM_EXCEPTION_TYPE_WITHOUT_RETHROW
    // The common case costs no second throw: the exception is exactly a CancelledError. Only a class
    // derived from it, or anything else, needs the rethrow below.
    if (const std::type_info *type = exception.__cxa_exception_type(); type && *type == typeid(CancelledError))
        return true;
#endif
    try {
        std::rethrow_exception(exception);
    } catch (const CancelledError &) {
        return true;
    } catch (...) {
        return false;
    }
}

bool isCancellationCheckedWithoutRethrow() noexcept
{
#ifdef QTM_EXCEPTION_TYPE_WITHOUT_RETHROW
    return true;
#else
    return false;
#endif
}

} // namespace qtm::detail
