#include <qtm/basetaskmanager.h>

namespace qtm {

BaseTaskManager::BaseTaskManager(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<qtm::Task>();
    qRegisterMetaType<qtm::TaskState>();
    qRegisterMetaType<qtm::TaskKind>();
    qRegisterMetaType<qtm::CancelOutcome>();
    qRegisterMetaType<qtm::CancelReason>();
}

BaseTaskManager::~BaseTaskManager() = default;

int BaseTaskManager::cancelAllTasks()
{
    const QList<Task> tasks = currentTasks();
    for (const Task &task : tasks)
        (void)cancelTask(task);
    return int(tasks.size());
}

} // namespace qtm
