// A small application for tst_trace: run with QTM_TRACE=<file>, it writes the trace when it exits,
// without a line of tracing code of its own.

#include <qtm/taskmanager.h>

#include <QtCore/QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    qtm::TaskManager manager;
    const qtm::Task task = manager.createTask(
        []() -> qtm::Coro<int> {
            co_await qtm::yield();
            co_return 1;
        }(),
        QStringLiteral("child-task"));
    while (!task.isFinished())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    return task.state() == qtm::TaskState::Succeeded ? 0 : 1;
}
