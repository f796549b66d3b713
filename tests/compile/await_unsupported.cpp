// Must not compile: a qtm::Coro can only await what the manager can cancel.
#include <qtm/coro.h>

#include <coroutine>

qtm::Coro<void> awaitsSomethingForeign()
{
    co_await std::suspend_always{};
}
