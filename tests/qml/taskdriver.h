#pragma once

#include <qtm/cancellederror.h>
#include <qtm/taskmanager.h>

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <deque>
#include <stdexcept>

/*!
 * Creates tasks on a manager that do exactly what a test tells them, when it tells them: report progress,
 * succeed, fail. Each is a coroutine task waiting for its next command, so it can also be cancelled at any
 * point. Commands are queued per task, so none is lost while a task is busy or not started yet.
 * Usable from C++ and, through its Q_INVOKABLEs, from QML tests.
 */
class TaskDriver : public QObject
{
    Q_OBJECT
    Q_PROPERTY(qtm::TaskManager *manager READ manager CONSTANT)

public:
    explicit TaskDriver(qtm::TaskManager *manager, QObject *parent = nullptr) : QObject(parent), m_manager(manager) { }

    qtm::TaskManager *manager() const { return m_manager; }

    //! Starts a task named \a name that waits for commands; returns its id.
    Q_INVOKABLE quint64 start(const QString &name) { return startTask(name).id(); }

    qtm::Task startTask(const QString &name)
    {
        qtm::Task task = m_manager->createTask(run(this), name);
        m_tasks.insert(task.id(), task);
        return task;
    }

    qtm::Task task(quint64 id) const { return m_tasks.value(id); }

    Q_INVOKABLE void progress(quint64 id, int value, int maximum, const QString &text = {})
    {
        post(id, {Command::Progress, value, maximum, text});
    }
    Q_INVOKABLE void succeed(quint64 id) { post(id, {Command::Succeed, 0, 0, {}}); }
    Q_INVOKABLE void fail(quint64 id, const QString &error) { post(id, {Command::Fail, 0, 0, error}); }

    //! The state of task \a id as its handle reads it now (for tests that wait on the manager).
    Q_INVOKABLE int stateOf(quint64 id) const { return int(m_tasks.value(id).state()); }

Q_SIGNALS:
    void posted();

private:
    struct Command
    {
        enum Action
        {
            Progress,
            Succeed,
            Fail
        } action;
        int value;
        int maximum;
        QString text;
    };

    void post(quint64 id, Command command)
    {
        m_queues[id].push_back(std::move(command));
        Q_EMIT posted();
    }

    static qtm::Coro<void> run(QPointer<TaskDriver> driver)
    {
        const quint64 self = qtm::this_task::task().id();
        for (;;) {
            while (driver && driver->m_queues[self].empty()) {
                try {
                    co_await qtm::signal(driver.data(), &TaskDriver::posted);
                } catch (const std::runtime_error &) {
                    break; // the driver is gone
                }
            }
            if (!driver) // a test that ends with tasks still waiting: they end as cancelled, quietly
                throw qtm::CancelledError(QStringLiteral("the test driver was destroyed"));
            Command command = std::move(driver->m_queues[self].front());
            driver->m_queues[self].pop_front();
            switch (command.action) {
            case Command::Progress: {
                qtm::TaskControl control = qtm::this_task::control();
                control.setProgressRange(0, command.maximum);
                control.setProgress(command.value, command.text);
                break;
            }
            case Command::Succeed:
                co_return;
            case Command::Fail:
                throw std::runtime_error(command.text.toStdString());
            }
        }
    }

    qtm::TaskManager *m_manager;
    QHash<quint64, qtm::Task> m_tasks;
    QHash<quint64, std::deque<Command>> m_queues;
};
