#pragma once

// Tells ThreadSanitizer about hand-offs that happen inside Qt, which is not instrumented.

#if defined(__SANITIZE_THREAD__)
#define QTM_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define QTM_TSAN 1
#endif
#endif
#ifdef QTM_TSAN
extern "C" void __tsan_acquire(void *address);
extern "C" void __tsan_release(void *address);
#endif

namespace qtm::detail {

inline void tsanRelease([[maybe_unused]] void *address)
{
#ifdef QTM_TSAN
    __tsan_release(address);
#endif
}

inline void tsanAcquire([[maybe_unused]] void *address)
{
#ifdef QTM_TSAN
    __tsan_acquire(address);
#endif
}

} // namespace qtm::detail
