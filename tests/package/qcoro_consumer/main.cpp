// The README's QCoro example, built against the installed package's QCoro component.
#include <qtm/qcoro.h>
#include <qtm/taskmanager.h>

#include <QCoroTimer>

#include <QtCore/QCoreApplication>
#include <QtCore/QDebug>

using namespace std::chrono_literals;

// Written with QCoro: it starts when called, and nothing can cancel it from outside.
QCoro::Task<int> countFiles()
{
    co_await QCoro::sleepFor(10ms);
    co_return 3;
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    qtm::TaskManager manager;

    // A QCoro task as a managed task: listed, reported by the signals, cancellable (see below).
    auto files = manager.createTask(qtm::fromQCoro(countFiles()), QStringLiteral("count files"));

    // A coroutine task awaiting QCoro tasks and QCoro's awaitables.
    manager.createTask([&]() -> qtm::Coro<void> {
        const int more = co_await qtm::fromQCoro(countFiles());
        co_await qtm::fromQCoro(QCoro::sleepFor(10ms));
        qInfo() << "files:" << co_await files + more;
        QCoreApplication::quit();
    });
    return app.exec();
}
