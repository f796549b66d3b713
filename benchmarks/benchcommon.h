#pragma once

// Shared by the measurements of qtm-bench: clocks, medians, resident memory, and a way to wait on the
// event loop for a count of callbacks.

#include <QtCore/QEventLoop>
#include <QtCore/QJsonObject>
#include <QtCore/QStringList>

#include <chrono>
#include <optional>
#include <vector>

namespace qtm::bench {

using Clock = std::chrono::steady_clock;

inline double nsSince(Clock::time_point from)
{
    return std::chrono::duration<double, std::nano>(Clock::now() - from).count();
}

//! The median of \a values (the mean of the middle two for an even count); NaN when empty.
double median(std::vector<double> values);

//! Resident set size of this process, in bytes (from /proc/self/statm); -1 where unknown (not Linux).
qint64 residentBytes();

//! Rounds for printing: figures keep three significant digits, which is already more than the noise.
double rounded(double value);

//! Counts callbacks and runs a nested event loop until \a expected have arrived.
class Countdown
{
public:
    explicit Countdown(qint64 expected) : m_remaining(expected) { }
    void hit()
    {
        if (--m_remaining == 0)
            m_loop.quit();
    }
    void wait()
    {
        if (m_remaining > 0)
            m_loop.exec();
    }
    void reset(qint64 expected) { m_remaining = expected; }

private:
    QEventLoop m_loop;
    qint64 m_remaining;
};

//! What one run measures, and with how much: scaled down in quick mode.
struct Plan
{
    bool quick = false;
    int reps = 5;
    int lifecycleTasks = 200'000;
    int poolTasks = 50'000;
    int latencySamples = 2'000;
    std::vector<int> liveCounts{1'000, 10'000, 100'000, 1'000'000};
    int scaleReps = 3;
    int scaleBatch = 20'000;
    int guiSeconds = 5;
    int guiRate = 10'000;
    QStringList only; // empty: every figure

    bool wants(const QString &figure) const { return only.isEmpty() || only.contains(figure); }
    QJsonObject toJson() const;
};

//! Runs this executable again as a child (`--probe ...`) and returns the JSON object it printed.
std::optional<QJsonObject> runProbe(const QStringList &arguments, QString *error);

//! Runs the asyncio baseline script with the machine's python3; empty with \a error when it cannot.
std::optional<QJsonObject> runAsyncio(const QString &python, const QStringList &arguments, QString *error);

// Measurements (lifecycle.cpp): each returns nanoseconds (or microseconds) per task for one repetition.
double coroFloorNs(int tasks);
double coroLifecycleNs(int tasks);
std::optional<double> qcoroLifecycleNs(int tasks);
double poolFloorNs(int tasks);
double poolLifecycleNs(int tasks);
std::vector<double> cancelLatenciesUs(int samples);

// Child-process probes (scale.cpp): each prints one JSON object on stdout.
int probeTasks(int live, int batch);
int probeQPromise(int count);

// GUI figure (gui.cpp).
struct GuiFigures
{
    std::optional<double> maxStallMs;
    std::optional<double> baselineMaxStallMs;
    std::optional<double> p99StallMs;
    std::optional<double> baselineP99StallMs;
    std::optional<double> maxCpuStallMs;
    std::optional<double> baselineMaxCpuStallMs;
    std::optional<double> modelMaxBatchMs;
    std::optional<double> modelUpdatesPerS;
    qint64 lifecycles = 0;
    QString note;
};
GuiFigures measureGui(int seconds, int ratePerSecond);
//! Milliseconds of the one model batch that prunes every other one of \a rows rows, with a filter model on
//! the model if \a filtered; null without the model.
std::optional<double> measurePruneMs(int rows, bool filtered);

} // namespace qtm::bench
