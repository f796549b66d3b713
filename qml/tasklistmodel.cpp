#include <qtm/quick/tasklistmodel.h>

#include <QtCore/QDateTime>
#include <QtCore/QMetaEnum>
#include <QtCore/QTimerEvent>

#include <algorithm>
#include <stdexcept>

namespace qtm {

namespace {

qint64 elapsedMs(const TaskData &data)
{
    if (!data.startedAt.isValid())
        return 0;
    const qint64 end
        = data.finishedAt.isValid() ? data.finishedAt.toMSecsSinceEpoch() : QDateTime::currentMSecsSinceEpoch();
    return std::max<qint64>(0, end - data.startedAt.toMSecsSinceEpoch());
}

//! Calls \a emitRange(first, last) for each run of consecutive values in sorted \a rows.
template<typename F>
void forEachRange(const std::vector<int> &rows, F emitRange)
{
    for (size_t i = 0; i < rows.size();) {
        size_t j = i;
        while (j + 1 < rows.size() && rows[j + 1] == rows[j] + 1)
            ++j;
        emitRange(rows[i], rows[j]);
        i = j + 1;
    }
}

} // namespace

TaskListModel::TaskListModel(QObject *parent) : QAbstractListModel(parent) { }

TaskListModel::~TaskListModel()
{
    disconnectManager();
}

BaseTaskManager *TaskListModel::manager() const
{
    return m_manager.data();
}

void TaskListModel::disconnectManager()
{
    for (const QMetaObject::Connection &connection : std::as_const(m_connections))
        QObject::disconnect(connection);
    m_connections.clear();
}

void TaskListModel::setManager(BaseTaskManager *manager)
{
    if (m_manager == manager)
        return;
    disconnectManager();
    m_updateTimer.stop();
    m_elapsedTimer.stop();

    beginResetModel();
    m_manager = manager;
    m_rows.clear();
    m_rowById.clear();
    m_created.clear();
    m_dirtyRows.clear();
    m_finishedOrder.clear();
    m_pending = m_running = m_succeeded = m_failed = m_cancelled = 0;
    m_elapsedDue = false;
    if (manager) {
        // Connect before taking the snapshot: a task created in between (by another thread) is then
        // seen twice, and applyChanges() drops the duplicate, rather than not at all.
        m_connections << connect(manager, &BaseTaskManager::taskCreated, this, &TaskListModel::onTaskCreated)
                      << connect(manager, &BaseTaskManager::taskStarted, this, &TaskListModel::onTaskChanged)
                      << connect(manager, &BaseTaskManager::taskProgressChanged, this, &TaskListModel::onTaskChanged)
                      << connect(manager, &BaseTaskManager::taskFinished, this, &TaskListModel::onTaskChanged)
                      << connect(manager, &QObject::destroyed, this, [this] {
                             disconnectManager();
                             Q_EMIT managerChanged();
                         });
        const QList<Task> tasks = manager->currentTasks();
        m_rows.reserve(size_t(tasks.size()));
        for (const Task &task : tasks) {
            Row row{task, task.data(), task.isCancelRequested()};
            countState(row.data.state, +1);
            if (isTerminal(row.data.state)) // finished between the snapshot and now: listed as history
                m_finishedOrder.push_back(row.data.id);
            m_rowById.insert(row.data.id, int(m_rows.size()));
            m_rows.push_back(std::move(row));
        }
    }
    endResetModel();

    scheduleElapsedRefresh();
    Q_EMIT managerChanged();
    Q_EMIT countChanged();
    Q_EMIT countersChanged();
}

void TaskListModel::setHistoryLength(int length)
{
    length = std::max(0, length);
    if (m_historyLength == length)
        return;
    m_historyLength = length;
    if (m_finishedOrder.size() > size_t(length))
        scheduleUpdate();
    Q_EMIT historyLengthChanged();
}

void TaskListModel::setUpdateInterval(int ms)
{
    ms = std::max(0, ms);
    if (m_updateInterval == ms)
        return;
    m_updateInterval = ms;
    if (m_updateTimer.isActive())
        m_updateTimer.start(ms, this);
    Q_EMIT updateIntervalChanged();
}

void TaskListModel::setElapsedRefreshInterval(int ms)
{
    ms = std::max(0, ms);
    if (m_elapsedRefreshInterval == ms)
        return;
    m_elapsedRefreshInterval = ms;
    m_elapsedTimer.stop();
    scheduleElapsedRefresh();
    Q_EMIT elapsedRefreshIntervalChanged();
}

void TaskListModel::onTaskCreated(const Task &task)
{
    m_created.push_back(task);
    scheduleUpdate();
}

void TaskListModel::onTaskChanged(const Task &task)
{
    // A task not listed yet is read in full when it is inserted; an unknown one was pruned or predates
    // the binding's snapshot.
    const auto it = m_rowById.constFind(task.id());
    if (it == m_rowById.cend())
        return;
    Row &row = m_rows[size_t(*it)];
    if (!row.dirty) {
        row.dirty = true;
        m_dirtyRows.push_back(*it);
    }
    scheduleUpdate();
}

void TaskListModel::scheduleUpdate()
{
    if (m_updateTimer.isActive())
        return;
    m_firstChange.start();
    m_updateTimer.start(m_updateInterval, this);
}

void TaskListModel::scheduleElapsedRefresh()
{
    if (m_running > 0 && m_elapsedRefreshInterval > 0) {
        if (!m_elapsedTimer.isActive())
            m_elapsedTimer.start(m_elapsedRefreshInterval, this);
    } else {
        m_elapsedTimer.stop();
    }
}

void TaskListModel::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_updateTimer.timerId()) {
        applyChanges();
    } else if (event->timerId() == m_elapsedTimer.timerId()) {
        m_elapsedDue = true;
        scheduleUpdate();
    } else {
        QAbstractListModel::timerEvent(event);
    }
}

void TaskListModel::countState(TaskState state, int delta)
{
    switch (state) {
    case TaskState::Pending:
        m_pending += delta;
        break;
    case TaskState::Running:
        m_running += delta;
        break;
    case TaskState::Succeeded:
        m_succeeded += delta;
        break;
    case TaskState::Failed:
        m_failed += delta;
        break;
    case TaskState::Cancelled:
        m_cancelled += delta;
        break;
    }
}

void TaskListModel::flush()
{
    if (m_updateTimer.isActive())
        applyChanges();
}

void TaskListModel::applyChanges()
{
    m_updateTimer.stop();
    QElapsedTimer clock;
    clock.start();
    const int oldCount = int(m_rows.size());
    bool countersDirty = false;

    // 1. Read the changed rows. A task that became terminal joins the history queue.
    std::vector<int> changed;
    changed.swap(m_dirtyRows);
    for (int index : changed) {
        Row &row = m_rows[size_t(index)];
        row.dirty = false;
        TaskData data = row.task.data();
        if (data.state != row.data.state) {
            countState(row.data.state, -1);
            countState(data.state, +1);
            countersDirty = true;
            if (isTerminal(data.state))
                m_finishedOrder.push_back(data.id);
        }
        row.data = std::move(data);
        row.cancelRequested = row.task.isCancelRequested();
    }

    // 2. Read the new tasks. They are indexed at the rows they will get, so pruning can find them.
    std::vector<Row> added;
    added.reserve(m_created.size());
    for (const Task &task : std::exchange(m_created, {})) {
        if (m_rowById.contains(task.id()))
            continue;
        Row row{task, task.data(), task.isCancelRequested()};
        countState(row.data.state, +1);
        countersDirty = true;
        if (isTerminal(row.data.state))
            m_finishedOrder.push_back(row.data.id);
        m_rowById.insert(row.data.id, oldCount + int(added.size()));
        added.push_back(std::move(row));
    }

    // 3. Prune the history: the tasks that finished first go first, listed or not yet.
    std::vector<int> pruned;
    while (m_finishedOrder.size() > size_t(m_historyLength)) {
        const int index = m_rowById.take(m_finishedOrder.front());
        m_finishedOrder.pop_front();
        if (index < oldCount) {
            m_rows[size_t(index)].pruned = true;
            pruned.push_back(index);
        } else {
            added[size_t(index - oldCount)].pruned = true;
        }
    }

    // 4. Signal the changes: data of the rows that stay, then removals, then one insertion.
    std::sort(changed.begin(), changed.end());
    changed.erase(
        std::remove_if(changed.begin(), changed.end(), [this](int index) { return m_rows[size_t(index)].pruned; }),
        changed.end());
    forEachRange(changed, [this](int first, int last) { Q_EMIT dataChanged(index(first), index(last)); });

    if (!pruned.empty())
        removeRowsAt(std::move(pruned));

    added.erase(std::remove_if(added.begin(), added.end(), [](const Row &row) { return row.pruned; }), added.end());
    if (!added.empty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        for (Row &row : added) {
            m_rowById.insert(row.data.id, int(m_rows.size()));
            m_rows.push_back(std::move(row));
        }
        endInsertRows();
    }

    // 5. Elapsed time of the running rows, as one range over them.
    if (m_elapsedDue) {
        m_elapsedDue = false;
        int first = -1;
        int last = -1;
        for (int i = 0; i < int(m_rows.size()); ++i) {
            if (m_rows[size_t(i)].data.state == TaskState::Running) {
                if (first < 0)
                    first = i;
                last = i;
            }
        }
        if (first >= 0)
            Q_EMIT dataChanged(index(first), index(last), {ElapsedRole});
    }
    scheduleElapsedRefresh();

    if (int(m_rows.size()) != oldCount)
        Q_EMIT countChanged();
    if (countersDirty)
        Q_EMIT countersChanged();

    ++m_updateBatches;
    m_lastDurationMs = double(clock.nsecsElapsed()) / 1e6;
    m_maxDurationMs = std::max(m_maxDurationMs, m_lastDurationMs);
    m_lastLatencyMs = m_firstChange.isValid() ? double(m_firstChange.nsecsElapsed()) / 1e6 : 0.0;
    m_maxLatencyMs = std::max(m_maxLatencyMs, m_lastLatencyMs);
    m_firstChange.invalidate();
    Q_EMIT statisticsChanged();
}

void TaskListModel::removeRowsAt(std::vector<int> rows)
{
    // From the bottom up, so the rows of the runs still to remove keep their numbers.
    std::sort(rows.begin(), rows.end());
    std::vector<std::pair<int, int>> runs;
    forEachRange(rows, [&runs](int first, int last) { runs.emplace_back(first, last); });
    for (auto run = runs.rbegin(); run != runs.rend(); ++run) {
        beginRemoveRows({}, run->first, run->second);
        m_rows.erase(m_rows.begin() + run->first, m_rows.begin() + run->second + 1);
        endRemoveRows();
    }
    rebuildIndex(rows.front());
}

void TaskListModel::rebuildIndex(int fromRow)
{
    for (int i = fromRow; i < int(m_rows.size()); ++i)
        m_rowById.insert(m_rows[size_t(i)].data.id, i);
}

int TaskListModel::clearFinished()
{
    flush();
    std::vector<int> finished;
    for (int i = 0; i < int(m_rows.size()); ++i) {
        if (isTerminal(m_rows[size_t(i)].data.state)) {
            finished.push_back(i);
            m_rowById.remove(m_rows[size_t(i)].data.id);
        }
    }
    m_finishedOrder.clear();
    if (finished.empty())
        return 0;
    removeRowsAt(finished);
    ++m_updateBatches;
    Q_EMIT countChanged();
    Q_EMIT statisticsChanged();
    return int(finished.size());
}

Task TaskListModel::taskAt(int row) const
{
    if (row < 0 || row >= int(m_rows.size()))
        return {};
    return m_rows[size_t(row)].task;
}

int TaskListModel::rowOf(quint64 id) const
{
    return m_rowById.value(id, -1);
}

bool TaskListModel::cancel(quint64 id, int timeoutMs)
{
    if (!m_manager)
        return false;
    Task task;
    const int row = rowOf(id);
    if (row >= 0) {
        task = m_rows[size_t(row)].task;
    } else {
        const auto it
            = std::find_if(m_created.cbegin(), m_created.cend(), [id](const Task &t) { return t.id() == id; });
        if (it == m_created.cend())
            return false;
        task = *it;
    }
    BaseTaskManager::Timeout timeout;
    if (timeoutMs >= 0)
        timeout = std::chrono::milliseconds(timeoutMs);
    QFuture<CancelOutcome> outcome;
    try {
        outcome = m_manager->cancelTask(task, timeout);
    } catch (const std::invalid_argument &) {
        return false; // a task of a manager this model is no longer bound to
    }
    outcome.then(this, [this, id](CancelOutcome result) { Q_EMIT cancelFinished(id, result); });
    onTaskChanged(task); // shows CancelRequestedRole at the next batch
    return true;
}

int TaskListModel::cancelAll()
{
    if (!m_manager)
        return 0;
    const int asked = m_manager->cancelAllTasks();
    for (const Row &row : m_rows) {
        if (!isTerminal(row.data.state))
            onTaskChanged(row.task);
    }
    return asked;
}

void TaskListModel::resetCounters()
{
    m_succeeded = m_failed = m_cancelled = 0;
    Q_EMIT countersChanged();
}

void TaskListModel::resetStatistics()
{
    m_updateBatches = 0;
    m_lastLatencyMs = m_maxLatencyMs = 0;
    m_lastDurationMs = m_maxDurationMs = 0;
    Q_EMIT statisticsChanged();
}

int TaskListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant TaskListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    const TaskData &data = row.data;
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return data.name;
    case IdRole:
        return data.id;
    case KindRole:
        return QVariant::fromValue(data.kind);
    case StateRole:
        return QVariant::fromValue(data.state);
    case StateTextRole:
        return QString::fromLatin1(QMetaEnum::fromType<TaskState>().valueToKey(int(data.state)));
    case ProgressRole:
        return data.progress();
    case ProgressValueRole:
        return data.progressValue;
    case ProgressMinimumRole:
        return data.progressMinimum;
    case ProgressMaximumRole:
        return data.progressMaximum;
    case ProgressTextRole:
        return data.progressText;
    case ErrorTextRole:
    case Qt::ToolTipRole:
        return data.errorText;
    case CreatedAtRole:
        return data.createdAt;
    case StartedAtRole:
        return data.startedAt;
    case FinishedAtRole:
        return data.finishedAt;
    case ElapsedRole:
        return elapsedMs(data);
    case CancellableRole:
        return data.cancellable && !isTerminal(data.state);
    case CancelRequestedRole:
        return row.cancelRequested;
    case FinishedRole:
        return isTerminal(data.state);
    default:
        return {};
    }
}

QHash<int, QByteArray> TaskListModel::roleNames() const
{
    return {
        {IdRole, "id"},
        {NameRole, "name"},
        {KindRole, "kind"},
        {StateRole, "state"},
        {StateTextRole, "stateText"},
        {ProgressRole, "progress"},
        {ProgressValueRole, "progressValue"},
        {ProgressMinimumRole, "progressMinimum"},
        {ProgressMaximumRole, "progressMaximum"},
        {ProgressTextRole, "progressText"},
        {ErrorTextRole, "errorText"},
        {CreatedAtRole, "createdAt"},
        {StartedAtRole, "startedAt"},
        {FinishedAtRole, "finishedAt"},
        {ElapsedRole, "elapsed"},
        {CancellableRole, "cancellable"},
        {CancelRequestedRole, "cancelRequested"},
        {FinishedRole, "finished"},
    };
}

} // namespace qtm
