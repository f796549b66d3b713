#include <qtm/taskcontext.h>

#include <QtCore/QPointer>

namespace qtm {

class TaskContextData : public QSharedData
{
public:
    QVariantHash values;
    QPointer<QObject> guard;
    bool hasGuard = false;
};

TaskContext::TaskContext() : d(new TaskContextData) { }

TaskContext::TaskContext(QVariantHash values, QObject *guard) : d(new TaskContextData)
{
    d->values = std::move(values);
    setGuard(guard);
}

TaskContext::TaskContext(const TaskContext &other) = default;
TaskContext &TaskContext::operator=(const TaskContext &other) = default;
TaskContext::~TaskContext() = default;

QVariant TaskContext::value(const QString &key, const QVariant &defaultValue) const
{
    return d->values.value(key, defaultValue);
}

void TaskContext::setValue(const QString &key, const QVariant &value)
{
    d->values.insert(key, value);
}

QVariantHash TaskContext::values() const
{
    return d->values;
}

QObject *TaskContext::guard() const
{
    return d->guard.data();
}

void TaskContext::setGuard(QObject *guard)
{
    d->guard = guard;
    d->hasGuard = guard != nullptr;
}

bool TaskContext::hasGuard() const
{
    return d->hasGuard;
}

bool TaskContext::isGuardDestroyed() const
{
    return d->hasGuard && d->guard.isNull();
}

} // namespace qtm
