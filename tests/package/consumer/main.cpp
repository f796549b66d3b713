#include <qtm/taskmanager.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QDebug>

using namespace std::chrono_literals;

// A coroutine task: runs on the manager's event loop; every co_await is a cancellation point.
qtm::Coro<QString> greet(QString name)
{
    co_await qtm::sleep(10ms);
    co_return QStringLiteral("hello, ") + name;
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    qtm::TaskManager manager;
    QObject::connect(&manager, &qtm::TaskManager::taskFinished,
                     [](const qtm::Task &task) { qInfo() << task.name() << "ended" << task.state(); });

    // A coroutine, a thread-pool function with progress and cancellation, and one to cancel.
    auto greeting = manager.createTask(greet(QStringLiteral("world")), QStringLiteral("greet"));
    auto sum = manager.createTask(
        [](qtm::TaskControl &control) {
            long long total = 0;
            control.setProgressRange(0, 1000);
            for (int i = 1; i <= 1000 && !control.isCancelled(); ++i) {
                total += i;
                control.setProgressValue(i);
            }
            return total;
        },
        QStringLiteral("sum"));
    auto idle = manager.createTask([]() -> qtm::Coro<void> { co_await qtm::sleep(24h); }, QStringLiteral("idle"));

    manager.createTask([&]() -> qtm::Coro<void> {
        qInfo() << co_await greeting << co_await sum;
        const qtm::CancelOutcome outcome = co_await manager.cancelTask(idle, 1s); // a hard time bound
        qInfo() << "cancelling 'idle':" << outcome;
        QCoreApplication::quit();
    });
    return app.exec();
}
