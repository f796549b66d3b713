#include <qtm/tasklistmodel.h>

#include <QtCore/QCoreApplication>
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

//! Progress units per second since the task started; 0 while there is no range, no progress or no time.
double rate(const TaskData &data)
{
    const qint64 done = qint64(data.progressValue) - data.progressMinimum;
    const qint64 elapsed = elapsedMs(data);
    if (data.progressMaximum <= data.progressMinimum || done <= 0 || elapsed <= 0)
        return 0.0;
    return double(done) * 1000.0 / double(elapsed);
}

//! The time left at rate(), in ms: a running task's estimate, 0 once it succeeded, -1 while unknown.
qint64 timeLeftMs(const TaskData &data)
{
    if (data.state == TaskState::Succeeded)
        return 0;
    const double perSecond = rate(data);
    if (data.state != TaskState::Running || perSecond <= 0.0)
        return -1;
    const qint64 left = std::max<qint64>(0, qint64(data.progressMaximum) - data.progressValue);
    return qint64(double(left) * 1000.0 / perSecond + 0.5);
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

//! The state's name for people, through the translators installed on the application (context
//! "qtm::TaskListModel"); the untranslated text is the enumerator's name. A task cancelled by its
//! deadline says so.
QString stateText(TaskState state, CancelReason reason)
{
    if (state == TaskState::Cancelled && reason == CancelReason::DeadlineExceeded)
        return QCoreApplication::translate("qtm::TaskListModel", "Deadline exceeded");
    switch (state) {
    case TaskState::Pending:
        return QCoreApplication::translate("qtm::TaskListModel", "Pending");
    case TaskState::Running:
        return QCoreApplication::translate("qtm::TaskListModel", "Running");
    case TaskState::Succeeded:
        return QCoreApplication::translate("qtm::TaskListModel", "Succeeded");
    case TaskState::Failed:
        return QCoreApplication::translate("qtm::TaskListModel", "Failed");
    case TaskState::Cancelled:
        return QCoreApplication::translate("qtm::TaskListModel", "Cancelled");
    }
    return QString::fromLatin1(QMetaEnum::fromType<TaskState>().valueToKey(int(state)));
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
    m_gapBegin = m_gapEnd = 0;
    m_rowById.clear();
    m_created.clear();
    m_incoming.clear();
    m_dirtyIds.clear();
    m_succeededHistory.clear();
    m_otherHistory.clear();
    m_pending = m_running = m_succeeded = m_failed = m_cancelled = 0;
    m_succeededTotal = m_failedTotal = m_cancelledTotal = 0;
    m_runTasks = m_runFinished = 0;
    m_runFractions = 0;
    m_elapsedDue = false;
    if (manager) {
        // Connect before taking the snapshot: a task created in between (by another thread) is then
        // seen twice, and applyChanges() drops the duplicate, rather than not at all.
        m_connections << connect(manager, &BaseTaskManager::taskCreated, this, &TaskListModel::onTaskCreated)
                      << connect(manager, &BaseTaskManager::taskStarted, this, &TaskListModel::onTaskChanged)
                      << connect(manager, &BaseTaskManager::taskProgressChanged, this, &TaskListModel::onTaskChanged)
                      << connect(manager, &BaseTaskManager::taskRetrying, this,
                                 [this](const Task &task) { onTaskChanged(task); })
                      << connect(manager, &BaseTaskManager::taskFinished, this, &TaskListModel::onTaskChanged)
                      << connect(manager, &QObject::destroyed, this, [this] {
                             disconnectManager();
                             // A manager emits no signal while it is destroyed: read the final state of
                             // every task it ended from the task itself.
                             for (const Row &row : m_rows) {
                                 if (!isTerminal(row.data.state))
                                     onTaskChanged(row.task);
                             }
                             Q_EMIT managerChanged();
                         });
        const QList<Task> tasks = manager->currentTasks();
        m_rows.reserve(size_t(tasks.size()));
        for (const Task &task : tasks) {
            Row row{task, task.data(), task.isCancelRequested()};
            countState(row.data.state, +1);
            followRun(nullptr, row.data);
            if (isTerminal(row.data.state)) { // finished between the snapshot and now: listed as history
                addToHistory(row.data.id, row.data.state);
                countEnded(row.data.state);
            }
            m_rowById.insert(row.data.id, int(m_rows.size()));
            m_rows.push_back(std::move(row));
        }
    }
    endResetModel();

    scheduleElapsedRefresh();
    Q_EMIT managerChanged();
    Q_EMIT countChanged();
    Q_EMIT countersChanged();
    Q_EMIT progressChanged();
}

void TaskListModel::setHistoryLength(int length)
{
    length = std::max(0, length);
    if (m_historyLength == length)
        return;
    m_historyLength = length;
    if (m_succeededHistory.size() + m_otherHistory.size() > size_t(length))
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
    // A task being inserted by the batch under way is marked too: it is read again at the next batch.
    Row &row = *it >= 0 ? m_rows[size_t(*it)] : m_incoming[size_t(-2 - *it)];
    if (!row.dirty) {
        row.dirty = true;
        if (*it >= 0)
            m_dirtyIds.push_back(task.id());
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

void TaskListModel::countEnded(TaskState state)
{
    switch (state) {
    case TaskState::Succeeded:
        ++m_succeededTotal;
        break;
    case TaskState::Failed:
        ++m_failedTotal;
        break;
    case TaskState::Cancelled:
        ++m_cancelledTotal;
        break;
    case TaskState::Pending:
    case TaskState::Running:
        break;
    }
}

void TaskListModel::addToHistory(quint64 id, TaskState state)
{
    (state == TaskState::Succeeded ? m_succeededHistory : m_otherHistory).push_back(id);
}

double TaskListModel::progress() const
{
    return m_runTasks > 0 ? std::clamp((m_runFinished + m_runFractions) / m_runTasks, 0.0, 1.0) : 0.0;
}

// Follows one task of the current run from \a before (null: a task new to the run) to \a after. A finished
// task counts 1 and leaves the sum of the live ones' fractions.
void TaskListModel::followRun(const TaskData *before, const TaskData &after)
{
    if (!before)
        ++m_runTasks;
    else if (isTerminal(before->state))
        return;
    else
        m_runFractions -= before->progress();
    if (isTerminal(after.state))
        ++m_runFinished;
    else
        m_runFractions += after.progress();
}

void TaskListModel::flush()
{
    if (!m_inBatch && m_updateTimer.isActive())
        applyChanges();
}

/*
 * One batch. Whatever a slot connected to the signals emitted here does (read the rows, call rowOf(), cancel
 * a task, create one), it sees the model as the signals describe it: the index (m_rowById) is right at every
 * emission, changes made by slots are queued for the next batch (as ids, since rows move), and flush() or
 * clearFinished() called from a slot do not start a second batch inside this one.
 */
void TaskListModel::applyChanges()
{
    if (m_inBatch) // the timer fired in an event loop that a slot of this batch runs: next time
        return;
    m_updateTimer.stop();
    m_inBatch = true;
    QElapsedTimer clock;
    clock.start();
    const QElapsedTimer firstChange = std::exchange(m_firstChange, QElapsedTimer());
    const int oldCount = int(m_rows.size());
    const double oldProgress = progress();
    bool countersDirty = false;

    // 1. Read the changed rows. A task that became terminal joins a history queue and the totals. Of a
    // task that has just finished only the state is read here (an atomic load): in a burst most of them
    // are pruned below, and reading a task's whole data is what a batch spends most of its time on. The
    // row keeps showing its previous data until it is read in full, after pruning, if it stays.
    std::vector<int> changed;
    std::vector<int> finished;
    for (quint64 id : std::exchange(m_dirtyIds, {})) {
        const int slot = m_rowById.value(id, -1);
        if (slot < 0)
            continue;
        Row &row = m_rows[size_t(slot)];
        row.dirty = false;
        if (!isTerminal(row.data.state)) {
            TaskData ended;
            ended.state = row.task.state();
            if (isTerminal(ended.state)) { // final: the full read later finds the same state
                followRun(&row.data, ended);
                addToHistory(id, ended.state);
                countEnded(ended.state);
                finished.push_back(slot);
                continue;
            }
        }
        TaskData data = row.task.data();
        followRun(&row.data, data);
        if (data.state != row.data.state) {
            countState(row.data.state, -1);
            countState(data.state, +1);
            countersDirty = true;
            if (isTerminal(data.state)) {
                addToHistory(data.id, data.state);
                countEnded(data.state);
            }
        }
        row.data = std::move(data);
        row.cancelRequested = row.task.isCancelRequested();
        changed.push_back(slot);
    }

    // 2. Read the new tasks into m_incoming. They are indexed there (as -2 - i, which rowOf() reports as
    // not listed) so that pruning and cancel() find them before their insertion is signalled; the row
    // counters count them once they are inserted.
    // Of a task that is already finished only the state is read, as in step 1.
    std::vector<size_t> unread;
    for (const Task &task : std::exchange(m_created, {})) {
        if (m_rowById.contains(task.id()))
            continue;
        Row row{task, {}, false};
        row.data.id = task.id();
        row.data.state = task.state();
        if (isTerminal(row.data.state)) {
            unread.push_back(m_incoming.size());
        } else {
            row.data = task.data();
            row.cancelRequested = task.isCancelRequested();
        }
        followRun(nullptr, row.data);
        if (isTerminal(row.data.state)) {
            addToHistory(row.data.id, row.data.state);
            countEnded(row.data.state);
            countersDirty = true;
        }
        m_rowById.insert(row.data.id, -2 - int(m_incoming.size()));
        m_incoming.push_back(std::move(row));
    }

    // 3. Choose what the history loses, listed or not yet: successes, the ones that finished first first;
    // failed and cancelled rows only when no success is left, so that a burst of successes cannot push the
    // failures a user must see out of the list.
    std::vector<int> leaving;
    while (m_succeededHistory.size() + m_otherHistory.size() > size_t(m_historyLength)) {
        std::deque<quint64> &queue = m_succeededHistory.empty() ? m_otherHistory : m_succeededHistory;
        const quint64 id = queue.front();
        queue.pop_front();
        const int slot = m_rowById.value(id, -1);
        if (slot >= 0) {
            m_rows[size_t(slot)].leaving = true;
            leaving.push_back(slot);
        } else if (slot <= -2) {
            m_incoming[size_t(-2 - slot)].leaving = true;
            m_rowById.remove(id);
        }
    }

    // Read in full the finished tasks that stay.
    for (int slot : finished) {
        Row &row = m_rows[size_t(slot)];
        if (row.leaving)
            continue;
        TaskData data = row.task.data();
        countState(row.data.state, -1);
        countState(data.state, +1);
        countersDirty = true;
        row.data = std::move(data);
        row.cancelRequested = row.task.isCancelRequested();
        changed.push_back(slot);
    }
    for (size_t i : unread) {
        Row &row = m_incoming[i];
        if (row.leaving)
            continue;
        row.data = row.task.data();
        row.cancelRequested = row.task.isCancelRequested();
    }

    // 4. Signal the changes: data of the rows that stay, then removals, then one insertion.
    std::sort(changed.begin(), changed.end());
    changed.erase(
        std::remove_if(changed.begin(), changed.end(), [this](int slot) { return m_rows[size_t(slot)].leaving; }),
        changed.end());
    forEachRange(changed, [this](int first, int last) { Q_EMIT dataChanged(index(first), index(last)); });

    if (!leaving.empty()) {
        removeRowsAt(std::move(leaving));
        countersDirty = true;
    }

    const auto inserted
        = int(std::count_if(m_incoming.cbegin(), m_incoming.cend(), [](const Row &row) { return !row.leaving; }));
    if (inserted > 0) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + inserted - 1);
        for (Row &row : m_incoming) {
            if (row.leaving)
                continue;
            countState(row.data.state, +1);
            m_rowById.insert(row.data.id, int(m_rows.size()));
            if (row.dirty) // changed while being inserted: read again at the next batch
                m_dirtyIds.push_back(row.data.id);
            m_rows.push_back(std::move(row));
        }
        m_incoming.clear();
        endInsertRows();
        countersDirty = true;
    }
    m_incoming.clear();

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
            Q_EMIT dataChanged(index(first), index(last), {ElapsedRole, RateRole, TimeLeftRole, AwaitingRole});
    }
    scheduleElapsedRefresh();

    // The run of work is over when no task is live any more; the next live task starts a new one.
    if (m_pending + m_running == 0) {
        m_runTasks = m_runFinished = 0;
        m_runFractions = 0;
    }

    if (int(m_rows.size()) != oldCount)
        Q_EMIT countChanged();
    if (countersDirty)
        Q_EMIT countersChanged();
    if (progress() != oldProgress)
        Q_EMIT progressChanged();

    ++m_updateBatches;
    m_lastDurationMs = double(clock.nsecsElapsed()) / 1e6;
    m_maxDurationMs = std::max(m_maxDurationMs, m_lastDurationMs);
    m_lastLatencyMs = firstChange.isValid() ? double(firstChange.nsecsElapsed()) / 1e6 : 0.0;
    m_maxLatencyMs = std::max(m_maxLatencyMs, m_lastLatencyMs);
    Q_EMIT statisticsChanged();
    m_inBatch = false;
    if (std::exchange(m_clearFinishedDue, false))
        clearFinished();
}

/*
 * Removes the rows at \a rows (no gap open) in time linear in the rows, however scattered: each kept row
 * moves at most once and its index entry is updated as it moves. The ranges are signalled from the top:
 * before each, the kept rows above it are moved down to the end of the gap's lower part, so that between
 * the removal signals the rows read through rowAt() and the index (through rowOfSlot()) are exactly the
 * rows the signals describe. Beyond removalRangeLimit() ranges one reset is cheaper for every view.
 */
void TaskListModel::removeRowsAt(std::vector<int> rows)
{
    std::sort(rows.begin(), rows.end());
    std::vector<std::pair<int, int>> runs;
    forEachRange(rows, [&runs](int first, int last) { runs.emplace_back(first, last); });

    if (int(runs.size()) > removalRangeLimit()) {
        for (int slot : rows)
            m_rows[size_t(slot)].leaving = true;
        beginResetModel();
        size_t kept = 0;
        for (size_t slot = 0; slot < m_rows.size(); ++slot) {
            Row &row = m_rows[slot];
            if (row.leaving) {
                m_rowById.remove(row.data.id);
                countState(row.data.state, -1);
                continue;
            }
            if (kept != slot) {
                m_rows[kept] = std::move(row);
                m_rowById[m_rows[kept].data.id] = int(kept);
            }
            ++kept;
        }
        m_rows.erase(m_rows.begin() + std::ptrdiff_t(kept), m_rows.end());
        endResetModel();
        return;
    }

    int write = 0;
    int read = 0;
    const auto moveDownTo = [this, &write, &read](int end) {
        for (; read < end; ++read, ++write) {
            if (write != read) {
                m_rows[size_t(write)] = std::move(m_rows[size_t(read)]);
                m_rowById[m_rows[size_t(write)].data.id] = write;
            }
        }
    };
    for (const auto &[first, last] : runs) {
        moveDownTo(first);
        m_gapBegin = write;
        m_gapEnd = read;
        beginRemoveRows({}, write, write + last - first);
        for (int slot = first; slot <= last; ++slot) {
            m_rowById.remove(m_rows[size_t(slot)].data.id);
            countState(m_rows[size_t(slot)].data.state, -1);
            m_rows[size_t(slot)] = Row{};
        }
        read = m_gapEnd = last + 1;
        endRemoveRows();
    }
    moveDownTo(int(m_rows.size()));
    m_rows.erase(m_rows.begin() + write, m_rows.end());
    m_gapBegin = m_gapEnd = 0;
}

int TaskListModel::clearFinished()
{
    if (m_inBatch) { // from a slot of a batch: right after it
        m_clearFinishedDue = true;
        int finished = 0;
        for (int row = 0; row < rowCount(); ++row)
            finished += isTerminal(rowAt(row).data.state) ? 1 : 0;
        return finished;
    }
    flush();
    std::vector<int> finished;
    for (int i = 0; i < int(m_rows.size()); ++i) {
        if (isTerminal(m_rows[size_t(i)].data.state))
            finished.push_back(i);
    }
    m_succeededHistory.clear();
    m_otherHistory.clear();
    if (finished.empty())
        return 0;
    const int removed = int(finished.size());
    m_inBatch = true;
    removeRowsAt(std::move(finished));
    ++m_updateBatches;
    Q_EMIT countChanged();
    Q_EMIT countersChanged();
    Q_EMIT statisticsChanged();
    m_inBatch = false;
    return removed;
}

Task TaskListModel::taskAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return {};
    return rowAt(row).task;
}

int TaskListModel::rowOf(quint64 id) const
{
    const int slot = m_rowById.value(id, -1);
    return slot >= 0 ? rowOfSlot(slot) : -1;
}

bool TaskListModel::cancel(quint64 id, int timeoutMs)
{
    if (!m_manager)
        return false;
    Task task;
    if (const auto it = m_rowById.constFind(id); it != m_rowById.cend()) {
        task = *it >= 0 ? m_rows[size_t(*it)].task : m_incoming[size_t(-2 - *it)].task;
    } else {
        const auto created
            = std::find_if(m_created.cbegin(), m_created.cend(), [id](const Task &t) { return t.id() == id; });
        if (created == m_created.cend())
            return false;
        task = *created;
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
    for (int row = 0; row < rowCount(); ++row) {
        if (!isTerminal(rowAt(row).data.state))
            onTaskChanged(rowAt(row).task);
    }
    for (const Row &row : m_incoming) {
        if (!row.leaving && !isTerminal(row.data.state))
            onTaskChanged(row.task);
    }
    return asked;
}

void TaskListModel::resetCounters()
{
    m_succeededTotal = m_failedTotal = m_cancelledTotal = 0;
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
    return parent.isValid() ? 0 : int(m_rows.size()) - (m_gapEnd - m_gapBegin);
}

QVariant TaskListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = rowAt(index.row());
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
        return stateText(data.state, data.cancelReason);
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
    case RateRole:
        return rate(data);
    case TimeLeftRole:
        return timeLeftMs(data);
    case AwaitingRole: {
        if (data.kind != TaskKind::Coroutine || data.state != TaskState::Running)
            return QString();
        const QList<AwaitFrame> frames = row.task.awaiting(); // read now: an await lasts less than a batch
        return frames.isEmpty() ? QString()
                                : QCoreApplication::translate("qtm::TaskListModel", "waiting on %1 at %2")
                                      .arg(frames.last().description, frames.last().location());
    }
    case PendingReasonRole:
        return data.pendingReason;
    case CancelReasonRole:
        return QVariant::fromValue(data.cancelReason);
    case PriorityRole:
        return data.priority;
    case DeadlineRole:
        return data.deadline;
    case AttemptRole:
        return data.attempt;
    case MaxAttemptsRole:
        return data.maxAttempts;
    case GroupIdRole:
        return data.groupId;
    case GroupDepthRole:
        return data.groupDepth;
    case GroupPolicyRole:
        return QVariant::fromValue(data.groupPolicy);
    case GroupMaxConcurrentRole:
        return data.groupMaxConcurrent;
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
        {RateRole, "rate"},
        {TimeLeftRole, "timeLeft"},
        {AwaitingRole, "awaiting"},
        {PendingReasonRole, "pendingReason"},
        {CancelReasonRole, "cancelReason"},
        {PriorityRole, "priority"},
        {DeadlineRole, "deadline"},
        {AttemptRole, "attempt"},
        {MaxAttemptsRole, "maxAttempts"},
        {GroupIdRole, "groupId"},
        {GroupDepthRole, "groupDepth"},
        {GroupPolicyRole, "groupPolicy"},
        {GroupMaxConcurrentRole, "groupMaxConcurrent"},
    };
}

} // namespace qtm
