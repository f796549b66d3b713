#include <qtm/taskmanager.h>
#include <qtm/taskstatisticsmodel.h>

#include <QtCore/QTimerEvent>

namespace qtm {

namespace {

//! The value of \a column (a Column) in \a entry.
QVariant valueOf(const TaskStatistics::Entry &entry, int column)
{
    using M = TaskStatisticsModel;
    switch (column) {
    case M::NameColumn:
        return entry.name;
    case M::KindColumn:
        return QVariant::fromValue(entry.kind);
    case M::CreatedColumn:
        return entry.created;
    case M::SucceededColumn:
        return entry.succeeded;
    case M::FailedColumn:
        return entry.failed;
    case M::CancelledColumn:
        return entry.cancelled;
    case M::TimedOutColumn:
        return entry.timedOut;
    case M::LiveColumn:
        return entry.live;
    case M::P50Column:
        return qint64(entry.total.p50.count());
    case M::P95Column:
        return qint64(entry.total.p95.count());
    case M::MaxColumn:
        return qint64(entry.total.max.count());
    case M::RunningP50Column:
        return qint64(entry.running.p50.count());
    case M::RunningP95Column:
        return qint64(entry.running.p95.count());
    case M::RunningMaxColumn:
        return qint64(entry.running.max.count());
    default:
        return {};
    }
}

bool sameRows(const QList<TaskStatistics::Entry> &a, const QList<TaskStatistics::Entry> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i].name != b[i].name || a[i].kind != b[i].kind || a[i].unnamed != b[i].unnamed)
            return false;
    }
    return true;
}

} // namespace

TaskStatisticsModel::TaskStatisticsModel(QObject *parent) : QAbstractTableModel(parent)
{
    restartTimer();
}

TaskStatisticsModel::~TaskStatisticsModel() = default;

TaskManager *TaskStatisticsModel::manager() const
{
    return m_manager;
}

void TaskStatisticsModel::setManager(TaskManager *manager)
{
    if (m_manager == manager)
        return;
    m_manager = manager;
    beginResetModel();
    const int before = count();
    m_statistics = manager ? manager->statistics() : TaskStatistics();
    endResetModel();
    restartTimer();
    Q_EMIT managerChanged();
    if (count() != before)
        Q_EMIT countChanged();
    Q_EMIT refreshed();
}

int TaskStatisticsModel::refreshInterval() const
{
    return m_refreshInterval;
}

void TaskStatisticsModel::setRefreshInterval(int ms)
{
    if (ms < 0) {
        qCWarning(lcTasks).noquote() << QStringLiteral("qtm::TaskStatisticsModel::setRefreshInterval: the interval "
                                                       "must not be negative (got %1 ms); 0 is used: snapshots "
                                                       "only on refresh()")
                                            .arg(ms);
        ms = 0;
    }
    if (ms == m_refreshInterval)
        return;
    m_refreshInterval = ms;
    restartTimer();
    Q_EMIT refreshIntervalChanged();
}

void TaskStatisticsModel::restartTimer()
{
    if (m_refreshInterval > 0 && m_manager)
        m_timer.start(m_refreshInterval, this);
    else
        m_timer.stop();
}

void TaskStatisticsModel::refresh()
{
    apply(m_manager ? m_manager->statistics() : TaskStatistics());
}

void TaskStatisticsModel::reset()
{
    if (m_manager)
        m_manager->resetStatistics();
    refresh();
}

void TaskStatisticsModel::apply(TaskStatistics statistics)
{
    const QList<TaskStatistics::Entry> before = m_statistics.entries();
    const QList<TaskStatistics::Entry> after = statistics.entries();
    if (!sameRows(before, after)) {
        beginResetModel();
        m_statistics = std::move(statistics);
        endResetModel();
        if (before.size() != after.size())
            Q_EMIT countChanged();
    } else {
        m_statistics = std::move(statistics);
        // Only the rows whose values changed, each as one range over its columns.
        for (qsizetype row = 0; row < after.size(); ++row) {
            int first = -1, last = -1;
            for (int column = 0; column < ColumnCount; ++column) {
                if (valueOf(before[row], column) != valueOf(after[row], column)) {
                    if (first < 0)
                        first = column;
                    last = column;
                }
            }
            if (first >= 0)
                Q_EMIT dataChanged(index(int(row), first), index(int(row), last));
        }
    }
    Q_EMIT refreshed();
}

void TaskStatisticsModel::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_timer.timerId()) {
        if (!m_manager) {
            m_timer.stop();
            apply(TaskStatistics()); // the manager was destroyed
            return;
        }
        refresh();
        return;
    }
    QAbstractTableModel::timerEvent(event);
}

int TaskStatisticsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

int TaskStatisticsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(ColumnCount);
}

QVariant TaskStatisticsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TaskStatistics::Entry &entry = m_statistics.entries().at(index.row());
    if (role == Qt::DisplayRole) {
        if (index.column() == KindColumn)
            return nameOf(entry.kind);
        return valueOf(entry, index.column());
    }
    if (role == UnnamedRole)
        return entry.unnamed;
    if (role >= NameRole && role <= RunningMaxRole)
        return valueOf(entry, role - NameRole);
    return {};
}

QVariant TaskStatisticsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    static const char *const titles[]
        = {"Name", "Kind",     "Created",  "Succeeded", "Failed",       "Cancelled",    "Timed out",
           "Live", "p50 (ms)", "p95 (ms)", "Max (ms)",  "Run p50 (ms)", "Run p95 (ms)", "Run max (ms)"};
    static_assert(std::size(titles) == ColumnCount, "Every column of TaskStatisticsModel needs a title.");
    if (section < 0 || section >= ColumnCount)
        return {};
    return QLatin1String(titles[section]);
}

QHash<int, QByteArray> TaskStatisticsModel::roleNames() const
{
    return {
        {Qt::DisplayRole, "display"},
        {NameRole, "name"},
        {KindRole, "kind"},
        {CreatedRole, "created"},
        {SucceededRole, "succeeded"},
        {FailedRole, "failed"},
        {CancelledRole, "cancelled"},
        {TimedOutRole, "timedOut"},
        {LiveRole, "live"},
        {P50Role, "p50Ms"},
        {P95Role, "p95Ms"},
        {MaxRole, "maxMs"},
        {RunningP50Role, "runningP50Ms"},
        {RunningP95Role, "runningP95Ms"},
        {RunningMaxRole, "runningMaxMs"},
        {UnnamedRole, "unnamed"},
    };
}

} // namespace qtm
