#include <qtm/cancellederror.h>
#include <qtm/task.h>
#include <qtm/taskcontrol.h>
#include <qtm/timeouterror.h>

#include "grouprun_p.h"
#include "taskgraph_p.h"
#include "taskrecord_p.h"

#include <QtCore/QDebug>
#include <QtCore/QMetaEnum>
#include <QtCore/QMutexLocker>

#include <stdexcept>

namespace qtm {

Q_LOGGING_CATEGORY(lcTasks, "qtm.tasks", QtInfoMsg)

namespace {
template<typename Enum>
const char *enumKey(Enum value)
{
    return QMetaEnum::fromType<Enum>().valueToKey(int(value));
}
template<typename Enum>
QString enumName(Enum value)
{
    return QString::fromLatin1(enumKey(value));
}
} // namespace

QString nameOf(TaskState state)
{
    return enumName(state);
}
QString nameOf(TaskKind kind)
{
    return enumName(kind);
}
QString nameOf(CancelOutcome outcome)
{
    return enumName(outcome);
}
QString nameOf(AwaitKind kind)
{
    return enumName(kind);
}
QString nameOf(CancelReason reason)
{
    return enumName(reason);
}
QString nameOf(GroupPolicy policy)
{
    return enumName(policy);
}

QDebug operator<<(QDebug debug, const Task &task)
{
    const QDebugStateSaver saver(debug);
    debug.nospace();
    if (!task.isValid())
        return debug << "qtm::Task(invalid)";
    return debug << "qtm::Task(#" << task.id() << ", " << task.name() << ", " << enumKey(task.kind()) << ", "
                 << enumKey(task.state()) << ')';
}

QDebug operator<<(QDebug debug, const TaskData &data)
{
    const QDebugStateSaver saver(debug);
    debug.nospace() << "qtm::TaskData(#" << data.id << ", " << data.name << ", " << enumKey(data.kind) << ", "
                    << enumKey(data.state);
    if (data.progressMaximum > data.progressMinimum)
        debug << ", progress " << data.progressValue << '/' << data.progressMaximum;
    if (!data.progressText.isEmpty())
        debug << ", " << data.progressText;
    if (!data.errorText.isEmpty())
        debug << ", error " << data.errorText;
    return debug << ')';
}

namespace detail {
thread_local TaskRecord *t_currentTask = nullptr;

namespace {
const char *const kindNames[] = {"coroutine", "thread", "future", "group"};
}

QString TaskRecord::displayName() const
{
    if (!name.isEmpty())
        return name;
    return QLatin1String(kindNames[int(kind)]) + QLatin1Char('-') + QString::number(id);
}

QString describe(const TaskRecord &task)
{
    return QStringLiteral("'%1' (#%2, %3)")
        .arg(task.displayName())
        .arg(task.id)
        .arg(QLatin1String(kindNames[int(task.kind)]));
}

void throwInvalidArgument(const char *where, const QString &problem)
{
    const QString message = QStringLiteral("qtm::%1: %2").arg(QLatin1String(where), problem);
    qCWarning(lcTasks).noquote() << message;
    throw std::invalid_argument(message.toStdString());
}
} // namespace detail

CancelledError::CancelledError(QString reason) : m_reason(std::move(reason)) { }

namespace {
std::string describeBound(std::chrono::nanoseconds bound)
{
    using namespace std::chrono;
    if (bound % milliseconds(1) == bound.zero())
        return std::to_string(duration_cast<milliseconds>(bound).count()) + " ms";
    return std::to_string(bound.count()) + " ns";
}
} // namespace

TimeoutError::TimeoutError(std::chrono::nanoseconds bound)
    : std::runtime_error("qtm::timeout: the operation did not end within " + describeBound(bound)), m_bound(bound)
{ }

TimeoutError::~TimeoutError() = default;

namespace {
QDateTime fromMs(qint64 ms)
{
    return ms ? QDateTime::fromMSecsSinceEpoch(ms) : QDateTime();
}
} // namespace

quint64 Task::id() const
{
    return d ? d->id : 0;
}
QString Task::name() const
{
    return d ? d->displayName() : QString();
}
TaskKind Task::kind() const
{
    return d ? d->kind : TaskKind::Coroutine;
}
TaskState Task::state() const
{
    return d ? d->loadState() : TaskState::Pending;
}
bool Task::isFinished() const
{
    return d && d->isFinished();
}
bool Task::isCancellable() const
{
    return d && !d->isFinished() && d->cancellable.load();
}
bool Task::isCancelRequested() const
{
    return d && d->lifecycle.isCancelRequested();
}
CancelReason Task::cancelReason() const
{
    return d ? d->lifecycle.cancelReason() : CancelReason::None;
}
int Task::priority() const
{
    return d ? d->priority : 0;
}
int Task::attempt() const
{
    return d ? d->attempt.load(std::memory_order_acquire) : 0;
}
quint64 Task::groupId() const
{
    return d ? d->groupId : 0;
}

int Task::groupDepth() const
{
    return d ? d->groupDepth : 0;
}

int Task::maxAttempts() const
{
    return d ? d->maxAttempts : 0;
}
QDateTime Task::deadline() const
{
    return d ? fromMs(d->deadlineAtMs) : QDateTime();
}

#define QTM_LOCKED_GETTER(type, getter, expression)                                                                    \
    type Task::getter() const                                                                                          \
    {                                                                                                                  \
        if (!d)                                                                                                        \
            return type();                                                                                             \
        const auto shared = d->shared.lock();                                                                          \
        return expression;                                                                                             \
    }
QTM_LOCKED_GETTER(int, progressValue, shared->progressValue)
QTM_LOCKED_GETTER(int, progressMinimum, shared->progressMinimum)
QTM_LOCKED_GETTER(int, progressMaximum, shared->progressMaximum)
QTM_LOCKED_GETTER(QString, progressText, shared->progressText)
QTM_LOCKED_GETTER(QString, errorText, shared->errorText)
// A waiting task cancelled before its turn keeps the reason it was given; it is no longer Pending.
QTM_LOCKED_GETTER(QString, pendingReason, d->loadState() == TaskState::Pending ? shared->pendingReason : QString())
QTM_LOCKED_GETTER(std::exception_ptr, exception, shared->exception)
QTM_LOCKED_GETTER(QDateTime, startedAt, fromMs(shared->startedAtMs))
QTM_LOCKED_GETTER(QDateTime, finishedAt, fromMs(shared->finishedAtMs))
#undef QTM_LOCKED_GETTER

double Task::progress() const
{
    if (!d)
        return 0.0;
    TaskData range;
    const auto shared = d->shared.lock();
    range.progressValue = shared->progressValue;
    range.progressMinimum = shared->progressMinimum;
    range.progressMaximum = shared->progressMaximum;
    return range.progress();
}

QDateTime Task::createdAt() const
{
    return d ? fromMs(d->createdAtMs) : QDateTime();
}
TaskContext Task::context() const
{
    return d ? d->context : TaskContext();
}
QFuture<void> Task::future() const
{
    if (!d)
        return QFuture<void>();
    return QFutureInterface<void>(detail::taskFuture(*this)).future();
}

TaskData Task::data() const
{
    TaskData data;
    if (!d)
        return data;
    data.id = d->id;
    data.name = d->displayName();
    data.kind = d->kind;
    data.state = d->loadState();
    data.cancellable = isCancellable();
    data.cancelReason = d->lifecycle.cancelReason();
    data.priority = d->priority;
    data.deadline = fromMs(d->deadlineAtMs);
    data.attempt = d->attempt.load(std::memory_order_acquire);
    data.maxAttempts = d->maxAttempts;
    data.groupId = d->groupId;
    data.groupDepth = d->groupDepth;
    if (d->kind == TaskKind::Group) {
        data.groupPolicy = detail::GroupRun::of(*d).policy();
        data.groupMaxConcurrent = detail::GroupRun::of(*d).maxConcurrent();
    }
    data.createdAt = fromMs(d->createdAtMs);
    data.context = d->context;
    const auto shared = d->shared.lock();
    data.progressValue = shared->progressValue;
    data.progressMinimum = shared->progressMinimum;
    data.progressMaximum = shared->progressMaximum;
    data.progressText = shared->progressText;
    data.errorText = shared->errorText;
    data.pendingReason = data.state == TaskState::Pending ? shared->pendingReason : QString();
    data.startedAt = fromMs(shared->startedAtMs);
    data.finishedAt = fromMs(shared->finishedAtMs);
    if (shared->awaiting)
        data.awaiting = detail::framesFrom(shared->awaiting, shared->enclosing);
    return data;
}

QList<AwaitFrame> Task::awaiting() const
{
    return d ? detail::awaitFramesOf(*d) : QList<AwaitFrame>();
}

double TaskData::progress() const
{
    if (progressMaximum <= progressMinimum)
        return 0.0;
    // In double: a range wider than INT_MAX overflows int.
    const double span = double(progressMaximum) - double(progressMinimum);
    return qBound(0.0, (double(progressValue) - double(progressMinimum)) / span, 1.0);
}

} // namespace qtm
