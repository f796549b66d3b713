#pragma once

#include <qtm/qtm_export.h>
#include <qtm/taskenums.h>

#include <QtCore/QDateTime>
#include <QtCore/QList>
#include <QtCore/QString>

#include <array>
#include <chrono>

namespace qtm {

namespace detail {
class StatisticsCollector;
} // namespace detail

/*!
 * A snapshot of a manager's per-name task statistics (TaskManager::statistics()): a value, copied out
 * under the statistics' lock, that no later task changes.
 *
 * \code
 * const qtm::TaskStatistics statistics = manager.statistics();
 * for (const qtm::TaskStatistics::Entry &entry : statistics.entries())
 *     qInfo() << entry.name << entry.created << entry.failed << entry.total.p95.count() << "ms";
 * \endcode
 *
 * \b Keys. One entry per task name and TaskKind. Tasks created without a name (whose handles show a
 * generated name such as "coroutine-12") share one entry per kind, named groupName(kind) ("<coroutine>"),
 * so that a table is not flooded with one row per task.
 *
 * \b Durations. Each entry summarises two durations of the tasks that ended: `total` (finished − created,
 * queueing included) and `running` (finished − started, for tasks that started). They are measured with the
 * tasks' own millisecond time stamps (Task::createdAt(), startedAt(), finishedAt()) and kept in a
 * fixed-size log-linear histogram per entry: exact below 32 ms, then 16 buckets per power of two. A
 * percentile is the nearest-rank value of the samples, reported as the middle of its bucket, so it is
 * within percentileRelativeError (1/32, about 3.1 %) of a sample's true value; `max` is exact.
 */
class QTM_EXPORT TaskStatistics
{
public:
    //! The largest relative error of a reported percentile (p50, p95) against the sample it stands for.
    static constexpr double percentileRelativeError = 1.0 / 32;

    //! A summary of one duration over the tasks that ended.
    struct Durations
    {
        qint64 count = 0; //!< how many tasks were measured
        std::chrono::milliseconds p50{0}; //!< the median (nearest rank), within percentileRelativeError
        std::chrono::milliseconds p95{0}; //!< the 95th percentile (nearest rank), within percentileRelativeError
        std::chrono::milliseconds max{0}; //!< the longest, exact
    };

    //! The counts and durations of the tasks of one name and kind (or of a total).
    struct Entry
    {
        QString name; //!< the task name, or groupName(kind) for the unnamed tasks of a kind; empty in totals()
        TaskKind kind = TaskKind::Coroutine; //!< the tasks' kind; Coroutine in the all-kinds totals()
        bool unnamed = false; //!< true for the entry that groups the tasks created without a name
        qint64 created = 0; //!< tasks created
        qint64 succeeded = 0; //!< tasks that ended Succeeded
        qint64 failed = 0; //!< tasks that ended Failed
        qint64 cancelled = 0; //!< tasks that ended Cancelled
        //! cancelTask() calls on these tasks whose future resolved CancelOutcome::TimedOut (a task can
        //! count more than once, and then still end in any state)
        qint64 timedOut = 0;
        //! tasks live (created and not ended) now; not cleared by a reset, so it may exceed `created`
        qint64 live = 0;
        Durations total; //!< finished − created, of the tasks that ended
        Durations running; //!< finished − started, of the tasks that ended after they had started

        //! succeeded + failed + cancelled.
        qint64 finished() const { return succeeded + failed + cancelled; }
    };

    //! An empty snapshot: no entries, zero totals.
    TaskStatistics() = default;

    //! One entry per name and kind that counted something since the last reset (or that has live tasks),
    //! sorted by name, then kind.
    QList<Entry> entries() const { return m_entries; }
    //! The entry of \a name and \a kind (for unnamed tasks, an empty \a name or groupName(kind)); a zero
    //! entry when there is none.
    Entry entry(const QString &name, TaskKind kind = TaskKind::Coroutine) const;
    //! Every entry added up, durations merged.
    Entry totals() const { return m_totals; }
    //! The entries of \a kind added up, durations merged.
    Entry totals(TaskKind kind) const { return m_kindTotals[std::size_t(kind)]; }
    //! When counting began: the manager's creation or its last TaskManager::resetStatistics().
    QDateTime since() const { return m_since; }
    //! When this snapshot was taken.
    QDateTime takenAt() const { return m_takenAt; }

    //! The name of the entry that groups the unnamed tasks of \a kind: "<coroutine>", "<thread>", "<future>".
    static QString groupName(TaskKind kind);

private:
    friend class detail::StatisticsCollector;
    QList<Entry> m_entries;
    Entry m_totals;
    std::array<Entry, taskKindCount> m_kindTotals;
    QDateTime m_since;
    QDateTime m_takenAt;
};

} // namespace qtm
