#include <qtm/taskstatistics.h>

#include "taskstatistics_p.h"

#include <QtCore/QDateTime>

#include <algorithm>
#include <cmath>

namespace qtm {

namespace {

const char *const groupNames[] = {"<coroutine>", "<thread>", "<future>", "<group>"};
static_assert(std::size(groupNames) == taskKindCount);

void add(TaskStatistics::Entry &into, const detail::StatisticsSlot &slot)
{
    into.created += slot.created;
    into.succeeded += slot.succeeded;
    into.failed += slot.failed;
    into.cancelled += slot.cancelled;
    into.timedOut += slot.timedOut;
    into.live += slot.live;
}

} // namespace

TaskStatistics::Entry TaskStatistics::entry(const QString &name, TaskKind kind) const
{
    const QString key = name.isEmpty() ? groupName(kind) : name;
    for (const Entry &entry : m_entries) {
        if (entry.kind == kind && entry.name == key && (entry.unnamed || !name.isEmpty()))
            return entry;
    }
    Entry none;
    none.name = key;
    none.kind = kind;
    none.unnamed = name.isEmpty();
    return none;
}

QString TaskStatistics::groupName(TaskKind kind)
{
    return QLatin1String(groupNames[std::size_t(kind)]);
}

} // namespace qtm

namespace qtm::detail {

void DurationHistogram::merge(const DurationHistogram &other) noexcept
{
    m_count += other.m_count;
    m_max = std::max(m_max, other.m_max);
    for (int i = 0; i < bucketCount; ++i)
        m_buckets[i] += other.m_buckets[i];
}

TaskStatistics::Durations DurationHistogram::summary() const
{
    TaskStatistics::Durations durations;
    durations.count = m_count;
    durations.p50 = std::chrono::milliseconds(percentile(0.50));
    durations.p95 = std::chrono::milliseconds(percentile(0.95));
    durations.max = std::chrono::milliseconds(m_max);
    return durations;
}

StatisticsCollector::StatisticsCollector() : m_sinceMs(QDateTime::currentMSecsSinceEpoch()) { }

StatisticsSlot *StatisticsCollector::newSlot(const QString &name, TaskKind kind)
{
    auto slot = std::make_unique<StatisticsSlot>();
    slot->name = name;
    slot->kind = kind;
    m_slots.push_back(std::move(slot));
    return m_slots.back().get();
}

StatisticsSlot *StatisticsCollector::taskCreated(const QString &name, TaskKind kind)
{
    if (!enabled.load(std::memory_order_relaxed))
        return nullptr;
    const auto k = std::size_t(kind);
    QMutexLocker lock(&m_mutex);
    StatisticsSlot *slot;
    if (name.isEmpty()) {
        slot = m_unnamed[k];
        if (!slot)
            slot = m_unnamed[k] = newSlot(QString(), kind);
    } else if (m_lastNamed[k] && m_lastNamed[k]->name == name) {
        slot = m_lastNamed[k];
    } else {
        StatisticsSlot *&found = m_byName[name][k];
        if (!found)
            found = newSlot(name, kind);
        slot = m_lastNamed[k] = found;
    }
    ++slot->created;
    ++slot->live;
    return slot;
}

void StatisticsCollector::taskRefused(StatisticsSlot *slot)
{
    QMutexLocker lock(&m_mutex);
    --slot->created;
    --slot->live;
}

void StatisticsCollector::taskEnded(StatisticsSlot *slot, TaskState state, qint64 totalMs, qint64 runningMs)
{
    QMutexLocker lock(&m_mutex);
    --slot->live;
    switch (state) {
    case TaskState::Succeeded:
        ++slot->succeeded;
        break;
    case TaskState::Failed:
        ++slot->failed;
        break;
    default:
        ++slot->cancelled;
        break;
    }
    slot->total.add(totalMs);
    if (runningMs >= 0)
        slot->running.add(runningMs);
}

void StatisticsCollector::taskAbandoned(StatisticsSlot *slot)
{
    QMutexLocker lock(&m_mutex);
    --slot->live;
}

void StatisticsCollector::cancelTimedOut(StatisticsSlot *slot)
{
    QMutexLocker lock(&m_mutex);
    ++slot->timedOut;
}

void StatisticsCollector::reset()
{
    QMutexLocker lock(&m_mutex);
    // The slots stay (task records point to them) and so does each one's live count: those tasks are
    // still running, and their ends will be counted.
    for (const auto &slot : m_slots) {
        slot->created = slot->succeeded = slot->failed = slot->cancelled = slot->timedOut = 0;
        slot->total = {};
        slot->running = {};
    }
    m_sinceMs = QDateTime::currentMSecsSinceEpoch();
}

TaskStatistics StatisticsCollector::snapshot() const
{
    // Copied under the lock, summarised outside it: the lock is held only for the copy, so task events
    // wait as little as possible.
    std::vector<StatisticsSlot> slots;
    qint64 sinceMs;
    {
        QMutexLocker lock(&m_mutex);
        slots.reserve(m_slots.size());
        for (const auto &slot : m_slots) {
            if (slot->created || slot->live || slot->timedOut || slot->total.count())
                slots.push_back(*slot);
        }
        sinceMs = m_sinceMs;
    }
    std::sort(slots.begin(), slots.end(), [](const StatisticsSlot &a, const StatisticsSlot &b) {
        const QString &left = a.name.isEmpty() ? TaskStatistics::groupName(a.kind) : a.name;
        const QString &right = b.name.isEmpty() ? TaskStatistics::groupName(b.kind) : b.name;
        if (const int order = left.compare(right); order != 0)
            return order < 0;
        return a.kind < b.kind;
    });

    TaskStatistics statistics;
    statistics.m_since = QDateTime::fromMSecsSinceEpoch(sinceMs);
    statistics.m_takenAt = QDateTime::currentDateTime();
    DurationHistogram allTotal, allRunning;
    std::array<DurationHistogram, taskKindCount> kindTotal, kindRunning;
    for (std::size_t k = 0; k < taskKindCount; ++k)
        statistics.m_kindTotals[k].kind = TaskKind(k);
    statistics.m_entries.reserve(qsizetype(slots.size()));
    for (const StatisticsSlot &slot : slots) {
        TaskStatistics::Entry entry;
        entry.unnamed = slot.name.isEmpty();
        entry.name = entry.unnamed ? TaskStatistics::groupName(slot.kind) : slot.name;
        entry.kind = slot.kind;
        add(entry, slot);
        entry.total = slot.total.summary();
        entry.running = slot.running.summary();
        statistics.m_entries.append(entry);

        const auto k = std::size_t(slot.kind);
        add(statistics.m_kindTotals[k], slot);
        add(statistics.m_totals, slot);
        kindTotal[k].merge(slot.total);
        kindRunning[k].merge(slot.running);
        allTotal.merge(slot.total);
        allRunning.merge(slot.running);
    }
    for (std::size_t k = 0; k < taskKindCount; ++k) {
        statistics.m_kindTotals[k].total = kindTotal[k].summary();
        statistics.m_kindTotals[k].running = kindRunning[k].summary();
    }
    statistics.m_totals.total = allTotal.summary();
    statistics.m_totals.running = allRunning.summary();
    return statistics;
}

} // namespace qtm::detail
