#pragma once

// Shared by the measurements of qtm-bench: clocks, medians, resident memory, a way to wait on the event loop
// for a count of callbacks, the child processes every variant runs in, and callgrind's instruction counts.

#include <QtCore/QEventLoop>
#include <QtCore/QJsonArray>
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

//! The machine's load averages over 1, 5 and 15 minutes (from /proc/loadavg); empty where unknown.
QJsonArray loadAverages();

//! Rounds for printing: figures keep three significant digits, which is already more than the noise.
double rounded(double value);

/*!
 * The malloc settings every child process runs with (glibc's GLIBC_TUNABLES): a fixed number of arenas, and
 * fixed mmap and trim thresholds. glibc otherwise raises both thresholds as large blocks are freed, so that
 * what ran before would decide where a variant's memory comes from. Other C libraries ignore the variable.
 */
inline constexpr const char pinnedMallocTunables[]
    = "glibc.malloc.arena_max=4:glibc.malloc.mmap_threshold=131072:glibc.malloc.trim_threshold=67108864"
      ":glibc.malloc.top_pad=131072";

/*!
 * Marks the region a variant measures. Under `valgrind --tool=callgrind --instr-atstart=no` it is the only
 * code whose instructions are counted, once setInstrumented(true) has chosen the run to count (not the
 * warm-up); elsewhere the marks cost a few instructions and do nothing.
 */
class MeasuredRegion
{
public:
    MeasuredRegion();
    //! Ends the region (once) and returns its wall-clock length in nanoseconds.
    double stopNs();
    ~MeasuredRegion();
    MeasuredRegion(const MeasuredRegion &) = delete;
    MeasuredRegion &operator=(const MeasuredRegion &) = delete;

private:
    Clock::time_point m_start;
    bool m_instrumenting = false;
};

//! Whether the next MeasuredRegion is the one callgrind counts; false by default.
void setInstrumented(bool instrumented);

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
    int poolThreads = 2; // the thread pool's pinned maxThreadCount, in the thread-pool variants
    QString mallocTunables = QString::fromLatin1(pinnedMallocTunables); // empty: the C library's defaults
    bool callgrind = true;
    int callgrindLifecycleTasks = 20'000;
    int callgrindPoolTasks = 5'000;
    int callgrindCancelTasks = 20'000;
    int callgrindAsyncioTasks = 2'000;
    std::vector<int> callgrindPending{1'000, 100'000}; // live tasks for the instructions of scaling_ratio
    QString callgrindDirectory; // empty: a temporary directory, removed afterwards
    QStringList only; // empty: every figure

    bool wants(const QString &figure) const { return only.isEmpty() || only.contains(figure); }
    QJsonObject toJson() const;
};

//! Runs this executable again as a child (`--variant=...`) with \a mallocTunables as GLIBC_TUNABLES (none
//! when empty), and returns the JSON object it printed.
std::optional<QJsonObject> runVariant(const QStringList &arguments, const QString &mallocTunables, QString *error);

//! The asyncio baseline script, in the source tree.
QString asyncioScript();

//! Runs the asyncio baseline script with the machine's python3, likewise; empty with \a error when it cannot.
std::optional<QJsonObject> runAsyncio(const QString &python, const QStringList &arguments,
                                      const QString &mallocTunables, QString *error);

// Instruction counts (callgrind.cpp).
struct InstructionCount
{
    double total = 0;
    QString outputFile;
    //! The functions with the most inclusive instructions, per task: [{"function", "object", "instructions"}].
    QJsonArray profile;
};

//! The valgrind on PATH; empty when there is none.
QString findValgrind();

/*!
 * Runs \a program with \a arguments under callgrind, writing its output to \a outputFile, and reads the
 * total instruction count. With \a onlyMeasuredRegion, instrumentation starts off
 * (`--instr-atstart=no`) and only the program's MeasuredRegion is counted; otherwise everything is. The
 * profile lists the \a profileRows functions with the most inclusive instructions, divided by
 * \a tasks (none when 0).
 */
std::optional<InstructionCount> countInstructions(const QString &valgrind, const QString &program,
                                                  const QStringList &arguments, const QString &outputFile,
                                                  bool onlyMeasuredRegion, int profileRows, int tasks, QString *error);

//! The interpreter a `python3` command runs (pyenv and the like put a shell script on PATH), for valgrind.
QString pythonExecutable(const QString &python);

// Measurements (lifecycle.cpp): each returns nanoseconds (or microseconds) per task for one repetition.
double coroFloorNs(int tasks);
double coroLifecycleNs(int tasks);
//! The coroutine lifecycle with kAwaits `co_await qtm::yield()` per task: (this - coro) / kAwaits is the
//! cost of one await, its record in the await graph included.
inline constexpr int kAwaits = 10;
double coroAwaitsLifecycleNs(int tasks);
std::optional<double> qcoroLifecycleNs(int tasks);
double poolFloorNs(int tasks);
double poolLifecycleNs(int tasks);
std::vector<double> cancelLatenciesUs(int samples);

/*!
 * Pins QThreadPool::globalInstance(), which the thread-pool floor and the manager both use, for the
 * thread-pool variants: \a threads threads at most, none of them ever expiring, and all of them started
 * before anything is measured.
 */
void pinGlobalThreadPool(int threads);

// Child-process probes (scale.cpp): each prints one JSON object on stdout.
int probeTasks(int live, int batch);
int probeQPromise(int count);
//! The lifecycle of \a tasks trivial coroutine tasks created while \a pending others wait in a sleep, after a
//! warm-up of a tenth as many; \a instrument lets callgrind count the measured batch.
int probeLifecycleWithPending(int tasks, int pending, bool instrument);
//! cancelAllTasks() of \a live suspended tasks, until the last taskFinished (ns per task).
double cancelAllNs(int live);
//! The floor of cancel-all: one throw through each of \a count suspended frames (ns per frame).
double throwFloorNs(int count);

// GUI figure (gui.cpp).
/*!
 * A view-less event loop under \a ratePerSecond trivial task lifecycles for \a seconds, without or with the
 * QML task model attached, as the JSON object a child process prints: max_gap_ms, p99_gap_ms, max_cpu_gap_ms
 * (null without a thread CPU clock), lifecycles, seconds, and with the model max_batch_ms and
 * updates_per_s. Null without the model when \a withModel.
 */
std::optional<QJsonObject> measureGuiLoad(int seconds, int ratePerSecond, bool withModel);
//! Milliseconds of the one model batch that prunes every other one of \a rows rows, with a filter model on
//! the model if \a filtered; null without the model.
std::optional<double> measurePruneMs(int rows, bool filtered);

} // namespace qtm::bench
