// Must not compile: qtm::fromQCoro() takes a QCoro::Task over, so it must be given an rvalue.
#include <qtm/qcoro.h>

QCoro::Task<int> answer()
{
    co_return 42;
}

qtm::Coro<int> awaitsAnLvalueTask()
{
    QCoro::Task<int> task = answer();
    co_return co_await qtm::fromQCoro(task);
}
