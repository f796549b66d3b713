#pragma once

#include <qtm/taskstatistics.h>

#include <QtCore/QHash>
#include <QtCore/QMutex>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <memory>
#include <vector>

namespace qtm::detail {

/*!
 * \internal
 * A fixed-size log-linear histogram of durations in milliseconds: one bucket per value below 32, then 16
 * buckets per power of two up to 2^41 ms (about 70 years; longer values count in the last bucket, and
 * in the exact maximum). A bucket [lower, lower + width) with width 2^(k-4) holds values of at least 2^k,
 * so its middle is within 1/32 of any of them: TaskStatistics::percentileRelativeError.
 */
class DurationHistogram
{
public:
    static constexpr int exactLimit = 32; // values below are counted exactly
    static constexpr int subBuckets = 16; // per power of two from there on
    static constexpr int largestExponent = 40;
    static constexpr int bucketCount = exactLimit + (largestExponent - 4) * subBuckets;
    static constexpr qint64 largestValue = (qint64(1) << (largestExponent + 1)) - 1;

    //! Counts \a ms; a negative value (the wall clock went back) counts as 0.
    void add(qint64 ms) noexcept
    {
        ms = ms < 0 ? 0 : ms;
        ++m_count;
        if (ms > m_max)
            m_max = ms;
        ++m_buckets[indexOf(ms)];
    }
    static int indexOf(qint64 ms) noexcept
    {
        if (ms < exactLimit)
            return int(ms);
        const quint64 value = quint64(ms > largestValue ? largestValue : ms);
        const int exponent = int(std::bit_width(value)) - 1; // 5 ... largestExponent
        return exactLimit + (exponent - 5) * subBuckets + int((value >> (exponent - 4)) & (subBuckets - 1));
    }
    //! The smallest value counted in bucket \a index, and the bucket's width.
    static qint64 lowerBound(int index) noexcept
    {
        if (index < exactLimit)
            return index;
        const int octave = (index - exactLimit) / subBuckets; // exponent octave + 5
        const int sub = (index - exactLimit) % subBuckets;
        return qint64(subBuckets + sub) << (octave + 1);
    }
    static qint64 width(int index) noexcept
    {
        return index < exactLimit ? 1 : qint64(1) << ((index - exactLimit) / subBuckets + 1);
    }

    void merge(const DurationHistogram &other) noexcept;
    //! The nearest-rank \a fraction percentile (0 < fraction <= 1) as the middle of its bucket, never more
    //! than the maximum; 0 when empty.
    qint64 percentile(double fraction) const noexcept
    {
        if (m_count == 0)
            return 0;
        const qint64 rank = std::clamp<qint64>(qint64(std::ceil(fraction * double(m_count))), 1, m_count);
        qint64 seen = 0;
        for (int i = 0; i < bucketCount; ++i) {
            seen += qint64(m_buckets[i]);
            if (seen >= rank)
                return std::min(lowerBound(i) + width(i) / 2, m_max);
        }
        return m_max;
    }
    qint64 count() const noexcept { return m_count; }
    qint64 max() const noexcept { return m_max; }
    TaskStatistics::Durations summary() const;

private:
    qint64 m_count = 0;
    qint64 m_max = 0;
    std::array<quint64, bucketCount> m_buckets{};
};

//! \internal The counts of one name and kind: what TaskStatistics::Entry reports.
struct StatisticsSlot
{
    QString name; // empty for the unnamed tasks of the kind
    TaskKind kind = TaskKind::Coroutine;
    qint64 created = 0;
    qint64 succeeded = 0;
    qint64 failed = 0;
    qint64 cancelled = 0;
    qint64 timedOut = 0;
    qint64 live = 0;
    DurationHistogram total;
    DurationHistogram running;
};

/*!
 * \internal
 * A manager's statistics. Each task record caches a pointer to its slot (TaskRecord::statistics), found
 * once when the task is created, so an event costs one short lock and no look-up by name. Slots are never
 * freed before the collector (a reset clears them), so the cached pointers stay valid.
 */
class StatisticsCollector
{
public:
    StatisticsCollector();

    std::atomic<bool> enabled{true};

    //! Counts a task created with \a name and \a kind and returns its slot; null when disabled.
    StatisticsSlot *taskCreated(const QString &name, TaskKind kind);
    //! Takes back taskCreated() for a task that was refused after all.
    void taskRefused(StatisticsSlot *slot);
    //! Counts the end of a task: its state, its total duration and, if it started (\a runningMs >= 0),
    //! its running time.
    void taskEnded(StatisticsSlot *slot, TaskState state, qint64 totalMs, qint64 runningMs);
    //! A task no longer live for the manager, not ended (abandoned at shutdown).
    void taskAbandoned(StatisticsSlot *slot);
    //! A cancelTask() call on the task resolved TimedOut.
    void cancelTimedOut(StatisticsSlot *slot);

    void reset();
    TaskStatistics snapshot() const;

private:
    StatisticsSlot *newSlot(const QString &name, TaskKind kind); // with the lock held

    mutable QMutex m_mutex;
    std::vector<std::unique_ptr<StatisticsSlot>> m_slots;
    std::array<StatisticsSlot *, taskKindCount> m_unnamed{};
    std::array<StatisticsSlot *, taskKindCount> m_lastNamed{}; // the slot found last, per kind: tasks come in runs
    QHash<QString, std::array<StatisticsSlot *, taskKindCount>> m_byName;
    qint64 m_sinceMs = 0;
};

} // namespace qtm::detail
