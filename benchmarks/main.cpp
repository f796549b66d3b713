// qtm-bench: what QtTaskManager's bookkeeping costs, against hand-written Qt, QCoro and asyncio, measured
// in one run. Every comparison is a ratio taken within one repetition (baselines interleaved with our code),
// and the median over the repetitions is reported with every run and the spread. Each variant runs in a
// process of its own (this executable again, `--variant=...`) with the same pinned malloc settings, so that
// no variant inherits another's heap; and, beside the wall clock, callgrind counts each variant's
// instructions. See docs/performance.md.

#include "benchcommon.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>

using namespace qtm::bench;

namespace {

QJsonValue figure(double value)
{
    return std::isfinite(value) ? QJsonValue(rounded(value)) : QJsonValue(QJsonValue::Null);
}

QJsonValue figure(const std::optional<double> &value)
{
    return value ? figure(*value) : QJsonValue(QJsonValue::Null);
}

void progress(const QString &text)
{
    std::fprintf(stderr, "qtm-bench: %s\n", qPrintable(text));
}

//! The per-run values of one figure: every run, and their median, minimum and maximum (the spread).
struct Series
{
    std::vector<double> values;
    double median() const { return qtm::bench::median(values); }
    double min() const
    {
        return values.empty() ? std::numeric_limits<double>::quiet_NaN()
                              : *std::min_element(values.begin(), values.end());
    }
    double max() const
    {
        return values.empty() ? std::numeric_limits<double>::quiet_NaN()
                              : *std::max_element(values.begin(), values.end());
    }
};

//! The ratio taken within each run (run i of \a numerator over run i of \a denominator).
Series pairedRatios(const Series &numerator, const Series &denominator)
{
    Series ratios;
    for (size_t i = 0; i < std::min(numerator.values.size(), denominator.values.size()); ++i)
        ratios.values.push_back(numerator.values[i] / denominator.values[i]);
    return ratios;
}

/*!
 * Inserts a figure measured over several runs: \a key holds the median (the meaning it has always had),
 * `<key>_runs` every run in order, and `<key>_spread` {min, median, max}.
 */
void insertSeries(QJsonObject &out, const QString &key, const Series &series)
{
    out.insert(key, figure(series.median()));
    QJsonArray runs;
    for (double value : series.values)
        runs.append(figure(value));
    out.insert(key + QLatin1String("_runs"), runs);
    out.insert(key + QLatin1String("_spread"),
               QJsonObject{{QStringLiteral("min"), figure(series.min())},
                           {QStringLiteral("median"), figure(series.median())},
                           {QStringLiteral("max"), figure(series.max())}});
}

//! A goal on a figure: at most \a max or at least \a min (one of them).
struct Goal
{
    const char *key;
    const char *instructionsKey; // the same ratio in instructions, or null
    std::optional<double> max;
    std::optional<double> min;
    const char *text;
};

// The goals of the project's core issue, each on a ratio taken within one run (or on an absolute figure).
const Goal goals[] = {
    {"coro_overhead_ratio", "coro_overhead_instructions_ratio", 0.5, {}, "<= 0.5 x the hand-written floor"},
    {"coro_vs_qcoro_ratio", "coro_vs_qcoro_instructions_ratio", 1.0, {}, "no slower than a QCoro task"},
    {"speedup_vs_asyncio", "speedup_vs_asyncio_instructions_ratio", {}, 40.0, ">= 40x faster than asyncio"},
    {"pool_overhead_ratio", "pool_overhead_instructions_ratio", 1.0, {}, "<= 1.0 x QtConcurrent::run + .then"},
    {"bytes_per_pending_task", nullptr, 400.0, {}, "<= 400 bytes at 1M pending"},
    {"cancel_vs_throw_floor", "cancel_vs_throw_floor_instructions_ratio", 1.3, {}, "<= 1.3 x the throw floor"},
    {"cancel_speedup_vs_asyncio",
     "cancel_speedup_vs_asyncio_instructions_ratio",
     {},
     12.0,
     ">= 12x faster than asyncio"},
    {"scaling_ratio", "scaling_instructions_ratio", 1.3, {}, "<= 1.3"},
    {"snapshot_ms_1m", nullptr, 100.0, {}, "<= 100 ms"},
    {"cancel_latency_us", nullptr, 100.0, {}, "<= 100 us"},
    {"gui_max_stall_ms", nullptr, 16.0, {}, "<= 16 ms"},
    {"model_updates_per_s", nullptr, 60.0, {}, "<= 60 per s"},
};

QJsonObject goalsJson()
{
    QJsonObject all;
    for (const Goal &goal : goals) {
        QJsonObject entry{{QStringLiteral("text"), QString::fromUtf8(goal.text)}};
        if (goal.max)
            entry.insert(QStringLiteral("max"), *goal.max);
        if (goal.min)
            entry.insert(QStringLiteral("min"), *goal.min);
        if (goal.instructionsKey)
            entry.insert(QStringLiteral("instructions_key"), QString::fromLatin1(goal.instructionsKey));
        all.insert(QString::fromLatin1(goal.key), entry);
    }
    return all;
}

//! Runs the variants in child processes with the plan's allocator settings; a failure is kept, not fatal.
class VariantRunner
{
public:
    explicit VariantRunner(const Plan &plan) : m_plan(plan) { }

    std::optional<QJsonObject> run(const QString &variant, const QStringList &more = {})
    {
        QStringList arguments{QStringLiteral("--variant=%1").arg(variant),
                              QStringLiteral("--pool-threads=%1").arg(m_plan.poolThreads)};
        arguments += more;
        QString error;
        auto result = runVariant(arguments, m_plan.mallocTunables, &error);
        if (!result)
            fail(error);
        return result;
    }

    //! The `ns_per_task` of one run of a lifecycle variant with \a count tasks, appended to \a series.
    void appendNs(Series &series, const QString &variant, int count)
    {
        if (auto result = run(variant, {QStringLiteral("--count=%1").arg(count)}))
            series.values.push_back(result->value(QStringLiteral("ns_per_task")).toDouble());
    }

    void fail(const QString &error)
    {
        std::fprintf(stderr, "qtm-bench: FAILED: %s\n", qPrintable(error));
        m_failures.append(error);
    }
    const QStringList &failures() const { return m_failures; }

private:
    const Plan &m_plan;
    QStringList m_failures;
};

QString compilerName()
{
#if defined(__clang__)
    return QStringLiteral("Clang " __clang_version__);
#elif defined(__GNUC__)
    return QStringLiteral("GCC " __VERSION__);
#else
    return QStringLiteral("unknown");
#endif
}

bool isOptimisedBuild()
{
    // __OPTIMIZE__ is GCC's and Clang's; MSVC has no such macro, so there NDEBUG has to be the sign.
#if defined(NDEBUG) && (defined(__OPTIMIZE__) || defined(_MSC_VER))
    return QByteArrayLiteral(QTM_BENCH_BUILD_TYPE) == "Release";
#else
    return false;
#endif
}

//! Instruction counts under callgrind: each variant in a child process of its own, only its measured region
//! counted; asyncio's from the difference of two runs of the script.
void countAllInstructions(const Plan &plan, const QString &python, QJsonObject &out, QJsonArray &notes,
                          VariantRunner &runner)
{
    const QString valgrind = findValgrind();
    if (valgrind.isEmpty()) {
        notes.append(QStringLiteral("instruction counts skipped: valgrind not found"));
        return;
    }
    QTemporaryDir temporary;
    QString directory = plan.callgrindDirectory;
    if (directory.isEmpty())
        directory = temporary.path();
    else if (!QDir().mkpath(directory))
        return runner.fail(QStringLiteral("cannot create %1").arg(directory));

    const QString self = QCoreApplication::applicationFilePath();
    // Enough rows to reach past the event loop's own frames (QEventLoop::exec() and what it calls on the way
    // to the code that was posted), which enclose nearly everything.
    const int profileRows = 60;
    QJsonObject profiles;
    // variant, its task count, the key of its instructions per task
    struct Counted
    {
        const char *variant;
        int tasks;
        const char *key;
    };
    std::vector<Counted> variants{
        {"coro-floor", plan.callgrindLifecycleTasks, "coro_floor_instructions"},
        {"coro", plan.callgrindLifecycleTasks, "coro_lifecycle_instructions"},
        {"coro-awaits", plan.callgrindLifecycleTasks, "coro_awaits_lifecycle_instructions"},
#ifdef QTM_BENCH_HAVE_QCORO
        {"qcoro", plan.callgrindLifecycleTasks, "qcoro_lifecycle_instructions"},
#endif
        {"pool-floor", plan.callgrindPoolTasks, "pool_floor_instructions"},
        {"pool", plan.callgrindPoolTasks, "pool_lifecycle_instructions"},
        {"throw-floor", plan.callgrindCancelTasks, "throw_floor_instructions"},
        {"cancel-all", plan.callgrindCancelTasks, "cancel_all_instructions_per_task"},
    };
    std::map<QString, double> perTask;
    // scaling_ratio's instructions: the same lifecycle with few and with many tasks pending.
    for (const auto &[pending, key] : {std::pair{plan.callgrindPending.front(), "scaling_low_pending_instructions"},
                                       std::pair{plan.callgrindPending.back(), "scaling_high_pending_instructions"}}) {
        const int tasks = plan.callgrindLifecycleTasks;
        progress(QStringLiteral("callgrind: coro with %1 pending, %2 tasks").arg(pending).arg(tasks));
        QString error;
        const auto count = countInstructions(
            valgrind, self,
            {QStringLiteral("--variant=coro-pending"), QStringLiteral("--count=%1").arg(tasks),
             QStringLiteral("--pending=%1").arg(pending), QStringLiteral("--instrument")},
            QDir(directory).filePath(QStringLiteral("coro-pending-%1.callgrind.out").arg(pending)), true, 0, 0, &error);
        if (!count) {
            runner.fail(error);
            continue;
        }
        perTask[QString::fromLatin1(key)] = count->total / tasks;
    }
    for (const Counted &counted : variants) {
        const QString variant = QString::fromLatin1(counted.variant);
        progress(QStringLiteral("callgrind: %1, %2 tasks").arg(variant).arg(counted.tasks));
        QString error;
        const auto count = countInstructions(
            valgrind, self,
            {QStringLiteral("--variant=%1").arg(variant), QStringLiteral("--count=%1").arg(counted.tasks),
             QStringLiteral("--pool-threads=%1").arg(plan.poolThreads), QStringLiteral("--instrument")},
            QDir(directory).filePath(variant + QLatin1String(".callgrind.out")), true, profileRows, counted.tasks,
            &error);
        if (!count) {
            runner.fail(error);
            continue;
        }
        perTask[QString::fromLatin1(counted.key)] = count->total / counted.tasks;
        profiles.insert(variant, count->profile);
    }

    // asyncio: (2N tasks - N tasks) / N for the lifecycle; (N created and cancelled - N created) / N for
    // cancel-all. The interpreter's start-up and the script's fixed costs cancel out.
    const QString interpreter = python.isEmpty() ? QString() : pythonExecutable(python);
    if (interpreter.isEmpty()) {
        notes.append(QStringLiteral("asyncio instruction counts skipped: python3 not found"));
    } else {
        const int n = plan.callgrindAsyncioTasks;
        const QString script = asyncioScript();
        auto total = [&](const QString &name, const QStringList &arguments) -> std::optional<double> {
            progress(QStringLiteral("callgrind: asyncio %1").arg(arguments.join(QLatin1Char(' '))));
            QString error;
            const auto count = countInstructions(valgrind, interpreter, QStringList{script} + arguments,
                                                 QDir(directory).filePath(name), false, 0, 0, &error);
            if (!count) {
                notes.append(QStringLiteral("asyncio instruction count failed: %1").arg(error));
                return std::nullopt;
            }
            return count->total;
        };
        const auto once = total(QStringLiteral("asyncio-lifecycle-n.callgrind.out"),
                                {QStringLiteral("lifecycle"), QString::number(n)});
        const auto twice = total(QStringLiteral("asyncio-lifecycle-2n.callgrind.out"),
                                 {QStringLiteral("lifecycle"), QString::number(2 * n)});
        if (once && twice)
            perTask[QStringLiteral("asyncio_lifecycle_instructions")] = (*twice - *once) / n;
        const auto pending = total(QStringLiteral("asyncio-pending.callgrind.out"),
                                   {QStringLiteral("pending"), QString::number(n), QStringLiteral("--no-cancel")});
        const auto cancelled
            = total(QStringLiteral("asyncio-cancel.callgrind.out"), {QStringLiteral("pending"), QString::number(n)});
        if (pending && cancelled)
            perTask[QStringLiteral("asyncio_cancel_instructions_per_task")] = (*cancelled - *pending) / n;
    }

    auto value = [&](const char *key) {
        const auto it = perTask.find(QString::fromLatin1(key));
        return it == perTask.end() ? std::numeric_limits<double>::quiet_NaN() : it->second;
    };
    for (const auto &[key, instructions] : perTask)
        out.insert(key, figure(instructions));
    out.insert(QStringLiteral("coro_overhead_instructions_ratio"),
               figure(value("coro_lifecycle_instructions") / value("coro_floor_instructions")));
    // One co_await (suspend, resume on the next turn, its await-graph record published and withdrawn).
    out.insert(QStringLiteral("await_instructions"),
               figure((value("coro_awaits_lifecycle_instructions") - value("coro_lifecycle_instructions")) / kAwaits));
    out.insert(QStringLiteral("coro_vs_qcoro_instructions_ratio"),
               figure(value("coro_lifecycle_instructions") / value("qcoro_lifecycle_instructions")));
    out.insert(QStringLiteral("speedup_vs_asyncio_instructions_ratio"),
               figure(value("asyncio_lifecycle_instructions") / value("coro_lifecycle_instructions")));
    out.insert(QStringLiteral("pool_overhead_instructions_ratio"),
               figure(value("pool_lifecycle_instructions") / value("pool_floor_instructions")));
    out.insert(QStringLiteral("cancel_vs_throw_floor_instructions_ratio"),
               figure(value("cancel_all_instructions_per_task") / value("throw_floor_instructions")));
    out.insert(QStringLiteral("scaling_instructions_ratio"),
               figure(value("scaling_high_pending_instructions") / value("scaling_low_pending_instructions")));
    out.insert(QStringLiteral("cancel_speedup_vs_asyncio_instructions_ratio"),
               figure(value("asyncio_cancel_instructions_per_task") / value("cancel_all_instructions_per_task")));
    out.insert(QStringLiteral("callgrind_profiles"), profiles);
    if (!plan.callgrindDirectory.isEmpty())
        out.insert(QStringLiteral("callgrind_directory"), directory);
}

// The keys of the instruction counts, null when they were not measured.
const char *const instructionKeys[] = {
    "coro_floor_instructions",
    "coro_lifecycle_instructions",
    "qcoro_lifecycle_instructions",
    "asyncio_lifecycle_instructions",
    "pool_floor_instructions",
    "pool_lifecycle_instructions",
    "throw_floor_instructions",
    "cancel_all_instructions_per_task",
    "asyncio_cancel_instructions_per_task",
    "coro_overhead_instructions_ratio",
    "coro_vs_qcoro_instructions_ratio",
    "speedup_vs_asyncio_instructions_ratio",
    "pool_overhead_instructions_ratio",
    "cancel_vs_throw_floor_instructions_ratio",
    "cancel_speedup_vs_asyncio_instructions_ratio",
    "scaling_low_pending_instructions",
    "scaling_high_pending_instructions",
    "scaling_instructions_ratio",
};

int runBenchmarks(const Plan &plan, bool json, const QString &python)
{
    QJsonObject out;
    QJsonArray notes;
    VariantRunner runner(plan);
    out.insert(QStringLiteral("mode"), plan.quick ? QStringLiteral("quick") : QStringLiteral("full"));
    out.insert(QStringLiteral("counts"), plan.toJson());
    out.insert(QStringLiteral("qt_version"), QString::fromLatin1(qVersion()));
    out.insert(QStringLiteral("compiler"), compilerName());
    out.insert(QStringLiteral("build_type"), QStringLiteral(QTM_BENCH_BUILD_TYPE));
    out.insert(QStringLiteral("cores"), QThread::idealThreadCount());
    out.insert(QStringLiteral("goals"), goalsJson());
    out.insert(QStringLiteral("load_average_start"), loadAverages());
    if (!isOptimisedBuild()) {
        std::fprintf(stderr,
                     "qtm-bench: WARNING: this is a '%s' build, not an optimised Release build: the "
                     "figures mean little. Use `cmake --preset bench`.\n",
                     QTM_BENCH_BUILD_TYPE);
        notes.append(QStringLiteral("not an optimised Release build"));
    }
    const QString pinned = plan.mallocTunables.isEmpty() ? QStringLiteral("the C library's default malloc settings")
                                                         : QStringLiteral("GLIBC_TUNABLES=%1").arg(plan.mallocTunables);

    // ---- Coroutine lifecycle: floor, ours, QCoro, asyncio, each run in a fresh process, interleaved -----
    Series coroFloor, coro, qcoro, asyncio;
    QString asyncioError;
    QString pythonVersion;
    if (plan.wants(QStringLiteral("coro"))) {
        const int n = plan.lifecycleTasks;
        progress(QStringLiteral("coroutine lifecycle, %1 tasks x %2 runs, a process per variant and run (%3)")
                     .arg(n)
                     .arg(plan.reps)
                     .arg(pinned));
        for (int rep = 0; rep < plan.reps; ++rep) {
            runner.appendNs(coroFloor, QStringLiteral("coro-floor"), n);
            runner.appendNs(coro, QStringLiteral("coro"), n);
#ifdef QTM_BENCH_HAVE_QCORO
            runner.appendNs(qcoro, QStringLiteral("qcoro"), n);
#endif
            if (asyncioError.isEmpty()) {
                if (auto result = runAsyncio(python, {QStringLiteral("lifecycle"), QString::number(n)},
                                             plan.mallocTunables, &asyncioError)) {
                    asyncio.values.push_back(result->value(QStringLiteral("lifecycle_ns")).toDouble());
                    pythonVersion = result->value(QStringLiteral("python")).toString();
                }
                if (!asyncioError.isEmpty())
                    asyncio.values.clear();
            }
        }
    }
    insertSeries(out, QStringLiteral("coro_floor_ns"), coroFloor);
    insertSeries(out, QStringLiteral("coro_lifecycle_ns"), coro);
    insertSeries(out, QStringLiteral("coro_overhead_ratio"), pairedRatios(coro, coroFloor));
    insertSeries(out, QStringLiteral("qcoro_lifecycle_ns"), qcoro);
    insertSeries(out, QStringLiteral("coro_vs_qcoro_ratio"), pairedRatios(coro, qcoro));
#ifndef QTM_BENCH_HAVE_QCORO
    notes.append(QStringLiteral("qcoro_lifecycle_ns: QCoro was not found at build time (Debian: qcoro-qt6-dev)"));
#endif

    // ---- Thread-pool lifecycle, the global pool pinned in every process ----------------------------------
    Series poolFloor, pool;
    if (plan.wants(QStringLiteral("pool"))) {
        const int n = plan.poolTasks;
        progress(QStringLiteral("thread-pool lifecycle, %1 tasks x %2 runs, pool pinned to %3 threads")
                     .arg(n)
                     .arg(plan.reps)
                     .arg(plan.poolThreads));
        for (int rep = 0; rep < plan.reps; ++rep) {
            runner.appendNs(poolFloor, QStringLiteral("pool-floor"), n);
            runner.appendNs(pool, QStringLiteral("pool"), n);
        }
    }
    insertSeries(out, QStringLiteral("pool_floor_ns"), poolFloor);
    insertSeries(out, QStringLiteral("pool_lifecycle_ns"), pool);
    insertSeries(out, QStringLiteral("pool_overhead_ratio"), pairedRatios(pool, poolFloor));

    // ---- Cancellation latency ---------------------------------------------------------------------------
    std::optional<double> latency;
    if (plan.wants(QStringLiteral("latency"))) {
        progress(QStringLiteral("cancellation latency, %1 samples").arg(plan.latencySamples));
        if (auto result
            = runner.run(QStringLiteral("latency"), {QStringLiteral("--count=%1").arg(plan.latencySamples)})) {
            latency = result->value(QStringLiteral("median_us")).toDouble();
            out.insert(QStringLiteral("cancel_latency_p99_us"),
                       figure(result->value(QStringLiteral("p99_us")).toDouble()));
        }
    }
    out.insert(QStringLiteral("cancel_latency_us"), figure(latency));

    // ---- Scale: memory, lifecycle with many pending, snapshot, cancel-all (child processes) -------------
    std::map<int, std::map<QString, Series>> scale; // live count -> figure -> per repetition
    Series asyncioBytes, asyncioCancel, qpromiseBytes, cancelOverFloor;
    Series scaling;
    const int maxLive = plan.liveCounts.back();
    const int minLive = plan.liveCounts.front();
    if (plan.wants(QStringLiteral("scale"))) {
        const int failuresBefore = int(runner.failures().size());
        for (int rep = 0; rep < plan.scaleReps && runner.failures().size() == failuresBefore; ++rep) {
            for (int live : plan.liveCounts) {
                progress(QStringLiteral("scale: %1 live tasks (repetition %2 of %3)")
                             .arg(live)
                             .arg(rep + 1)
                             .arg(plan.scaleReps));
                const auto result = runner.run(
                    QStringLiteral("tasks"),
                    {QStringLiteral("--count=%1").arg(live), QStringLiteral("--batch=%1").arg(plan.scaleBatch)});
                if (!result)
                    break;
                for (auto it = result->begin(); it != result->end(); ++it)
                    scale[live][it.key()].values.push_back(it.value().toDouble());
            }
            if (runner.failures().size() != failuresBefore)
                break;
            auto &top = scale[maxLive];
            scaling.values.push_back(top[QStringLiteral("lifecycle_ns")].values.back()
                                     / scale[minLive][QStringLiteral("lifecycle_ns")].values.back());
            cancelOverFloor.values.push_back(top[QStringLiteral("cancel_all_ns_per_task")].values.back()
                                             / top[QStringLiteral("throw_floor_ns")].values.back());
            progress(QStringLiteral("scale: %1 started QPromises").arg(maxLive));
            if (auto result = runner.run(QStringLiteral("qpromise"), {QStringLiteral("--count=%1").arg(maxLive)}))
                qpromiseBytes.values.push_back(result->value(QStringLiteral("bytes_per_promise")).toDouble());
            if (asyncioError.isEmpty()) {
                progress(QStringLiteral("scale: %1 pending asyncio tasks").arg(maxLive));
                if (auto result = runAsyncio(python, {QStringLiteral("pending"), QString::number(maxLive)},
                                             plan.mallocTunables, &asyncioError)) {
                    asyncioBytes.values.push_back(result->value(QStringLiteral("bytes_per_pending_task")).toDouble());
                    asyncioCancel.values.push_back(result->value(QStringLiteral("cancel_ns_per_task")).toDouble());
                    pythonVersion = result->value(QStringLiteral("python")).toString();
                }
            }
        }
    }
    auto atMax = [&](const char *key) { return scale[maxLive][QString::fromLatin1(key)]; };
    insertSeries(out, QStringLiteral("bytes_per_pending_task"), atMax("bytes_per_task"));
    insertSeries(out, QStringLiteral("qpromise_bytes"), qpromiseBytes);
    insertSeries(out, QStringLiteral("scaling_ratio"), scaling);
    insertSeries(out, QStringLiteral("cancel_all_ns_per_task"), atMax("cancel_all_ns_per_task"));
    insertSeries(out, QStringLiteral("throw_floor_ns"), atMax("throw_floor_ns"));
    insertSeries(out, QStringLiteral("cancel_vs_throw_floor"), cancelOverFloor);
    insertSeries(out, QStringLiteral("snapshot_ms_1m"), atMax("snapshot_ms"));
    insertSeries(out, QStringLiteral("asyncio_bytes_per_pending_task"), asyncioBytes);
    insertSeries(out, QStringLiteral("asyncio_cancel_ns_per_task"), asyncioCancel);
    insertSeries(out, QStringLiteral("cancel_speedup_vs_asyncio"),
                 pairedRatios(asyncioCancel, atMax("cancel_all_ns_per_task")));
    insertSeries(out, QStringLiteral("asyncio_lifecycle_ns"), asyncio);
    insertSeries(out, QStringLiteral("speedup_vs_asyncio"), pairedRatios(asyncio, coro));
    if (!asyncioError.isEmpty())
        notes.append(QStringLiteral("asyncio baseline skipped: %1").arg(asyncioError));
    if (maxLive != 1'000'000 && plan.wants(QStringLiteral("scale")))
        notes.append(QStringLiteral("the 1M figures (bytes_per_pending_task, cancel_all_ns_per_task, snapshot_ms_1m, "
                                    "scaling_ratio) were measured with %1 live tasks")
                         .arg(maxLive));
    QJsonArray series;
    for (auto &[live, figures] : scale) {
        QJsonObject point{{QStringLiteral("live"), live}};
        for (auto &[key, values] : figures) {
            if (key != QLatin1String("live") && key != QLatin1String("signals"))
                point.insert(key, figure(values.median()));
        }
        series.append(point);
    }
    out.insert(QStringLiteral("series"), series);

    // ---- GUI: the event loop without and with the task model attached, each in a fresh process ---------
    std::optional<QJsonObject> guiBaseline, guiModel;
    if (plan.wants(QStringLiteral("gui"))) {
        progress(QStringLiteral("gui: %1 lifecycles/s for %2 s, without and with the model")
                     .arg(plan.guiRate)
                     .arg(plan.guiSeconds));
        const QStringList load{QStringLiteral("--seconds=%1").arg(plan.guiSeconds),
                               QStringLiteral("--rate=%1").arg(plan.guiRate)};
        guiBaseline = runner.run(QStringLiteral("gui-baseline"), load);
        guiModel = runner.run(QStringLiteral("gui-model"), load);
        if (guiModel && guiModel->isEmpty()) {
            guiModel.reset();
            notes.append(QStringLiteral("gui_max_stall_ms, model_updates_per_s: the QML task model "
                                        "(QtTaskManagerQuick) was not built; only the baseline without a model was "
                                        "measured"));
        }
    }
    auto gui = [](const std::optional<QJsonObject> &load, const char *key) {
        return load ? load->value(QLatin1String(key)) : QJsonValue(QJsonValue::Null);
    };
    out.insert(QStringLiteral("gui_max_stall_ms"), gui(guiModel, "max_gap_ms"));
    out.insert(QStringLiteral("gui_baseline_max_stall_ms"), gui(guiBaseline, "max_gap_ms"));
    out.insert(QStringLiteral("gui_p99_stall_ms"), gui(guiModel, "p99_gap_ms"));
    out.insert(QStringLiteral("gui_max_stall_cpu_ms"), gui(guiModel, "max_cpu_gap_ms"));
    out.insert(QStringLiteral("gui_baseline_max_stall_cpu_ms"), gui(guiBaseline, "max_cpu_gap_ms"));
    out.insert(QStringLiteral("model_max_batch_ms"), gui(guiModel, "max_batch_ms"));
    out.insert(QStringLiteral("gui_baseline_p99_stall_ms"), gui(guiBaseline, "p99_gap_ms"));
    out.insert(QStringLiteral("model_updates_per_s"), gui(guiModel, "updates_per_s"));

    // ---- The task model pruning scattered rows in one batch, alone and under a filter model --------------
    for (const auto &[rows, suffix] : {std::pair{10'000, "10k"}, std::pair{80'000, "80k"}}) {
        for (const bool filtered : {false, true}) {
            QJsonValue ms(QJsonValue::Null);
            if (plan.wants(QStringLiteral("prune"))) {
                const auto result = runner.run(filtered ? QStringLiteral("prune-filtered") : QStringLiteral("prune"),
                                               {QStringLiteral("--count=%1").arg(rows)});
                if (result)
                    ms = result->value(QStringLiteral("ms"));
                if (ms.isDouble())
                    progress(QStringLiteral("model: %1 rows, %2 scattered rows pruned in one batch%3: %4 ms")
                                 .arg(rows)
                                 .arg(rows / 2)
                                 .arg(filtered ? QStringLiteral(" under a filter model") : QString())
                                 .arg(ms.toDouble(), 0, 'f', 1));
            }
            out.insert(QStringLiteral("model_prune%1_ms_%2")
                           .arg(filtered ? QStringLiteral("_filtered") : QString(), QLatin1String(suffix)),
                       ms);
        }
    }

    // ---- Instruction counts (callgrind) -----------------------------------------------------------------
    for (const char *key : instructionKeys)
        out.insert(QString::fromLatin1(key), QJsonValue(QJsonValue::Null));
    out.insert(QStringLiteral("callgrind_profiles"), QJsonObject());
    if (plan.callgrind && plan.wants(QStringLiteral("callgrind")))
        countAllInstructions(plan, python, out, notes, runner);
    else
        notes.append(QStringLiteral("instruction counts not measured (run without --quick, or with --callgrind)"));

    if (!pythonVersion.isEmpty())
        out.insert(QStringLiteral("python_version"), pythonVersion);
    out.insert(QStringLiteral("load_average_end"), loadAverages());
    out.insert(QStringLiteral("heap_layout"),
               QStringLiteral("every variant and run in a fresh process, with %1").arg(pinned));
    for (const QString &failure : runner.failures())
        notes.append(QStringLiteral("FAILED: %1").arg(failure));
    out.insert(QStringLiteral("notes"), notes);

    if (json) {
        std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Indented).constData());
    } else {
        const char *const shown[] = {
            "coro_lifecycle_ns",
            "coro_floor_ns",
            "qcoro_lifecycle_ns",
            "asyncio_lifecycle_ns",
            "pool_lifecycle_ns",
            "pool_floor_ns",
            "qpromise_bytes",
            "asyncio_bytes_per_pending_task",
            "cancel_all_ns_per_task",
            "throw_floor_ns",
            "asyncio_cancel_ns_per_task",
            "gui_baseline_max_stall_ms",
            "gui_max_stall_cpu_ms",
            "gui_baseline_max_stall_cpu_ms",
            "model_max_batch_ms",
            "model_prune_ms_10k",
            "model_prune_ms_80k",
            "model_prune_filtered_ms_10k",
            "model_prune_filtered_ms_80k",
        };
        auto text = [&out](const QString &key) {
            const QJsonValue value = out.value(key);
            return value.isDouble() ? QString::number(value.toDouble()) : QStringLiteral("null");
        };
        std::printf("%-42s %12s %24s  %s\n", "goal on", "median", "min..max (instructions)", "goal");
        for (const Goal &goal : goals) {
            const QString key = QString::fromLatin1(goal.key);
            const QJsonObject spread = out.value(key + QLatin1String("_spread")).toObject();
            QString detail;
            if (spread.value(QStringLiteral("min")).isDouble())
                detail = QStringLiteral("%1..%2")
                             .arg(spread.value(QStringLiteral("min")).toDouble())
                             .arg(spread.value(QStringLiteral("max")).toDouble());
            if (goal.instructionsKey)
                detail += QStringLiteral(" (%1)").arg(text(QString::fromLatin1(goal.instructionsKey)));
            std::printf("%-42s %12s %24s  %s\n", goal.key, qPrintable(text(key)), qPrintable(detail), goal.text);
        }
        std::printf("\n%-42s %12s\n", "figure", "value");
        for (const char *key : shown)
            std::printf("%-42s %12s\n", key, qPrintable(text(QString::fromLatin1(key))));
        for (const char *key : instructionKeys)
            std::printf("%-42s %12s\n", key, qPrintable(text(QString::fromLatin1(key))));
        for (const QJsonValue &note : std::as_const(notes))
            std::printf("note: %s\n", qPrintable(note.toString()));
    }
    return runner.failures().isEmpty() ? 0 : 1;
}

/*!
 * One variant in this (child) process: prints one JSON object. The lifecycle variants warm up with a tenth
 * of their tasks first, and count instructions (under callgrind) only in the measured run.
 */
int runVariantHere(const QString &variant, int count, const QCommandLineParser &parser, const QCommandLineOption &batch,
                   const QCommandLineOption &seconds, const QCommandLineOption &rate,
                   const QCommandLineOption &poolThreads, const QCommandLineOption &instrument,
                   const QCommandLineOption &pending)
{
    auto print = [](const QJsonObject &object) {
        std::printf("%s\n", QJsonDocument(object).toJson(QJsonDocument::Compact).constData());
        return 0;
    };
    if (count <= 0 && !variant.startsWith(QLatin1String("gui-"))) {
        std::fprintf(stderr, "qtm-bench: --variant=%s needs --count=N with N > 0\n", qPrintable(variant));
        return 2;
    }
    if (variant == QLatin1String("tasks"))
        return probeTasks(count, parser.value(batch).toInt());
    if (variant == QLatin1String("qpromise"))
        return probeQPromise(count);
    if (variant == QLatin1String("coro-pending")) {
        const int live = parser.value(pending).toInt();
        if (live <= 0) {
            std::fprintf(stderr, "qtm-bench: --variant=coro-pending needs --pending=N with N > 0\n");
            return 2;
        }
        return probeLifecycleWithPending(count, live, parser.isSet(instrument));
    }
    if (variant == QLatin1String("latency")) {
        (void)cancelLatenciesUs(std::max(1, count / 10));
        std::vector<double> samples = cancelLatenciesUs(count);
        std::sort(samples.begin(), samples.end());
        return print({{QStringLiteral("median_us"), rounded(median(samples))},
                      {QStringLiteral("p99_us"), rounded(samples[size_t(0.99 * double(samples.size() - 1))])}});
    }
    if (variant == QLatin1String("gui-baseline") || variant == QLatin1String("gui-model")) {
        const auto load = measureGuiLoad(parser.value(seconds).toInt(), parser.value(rate).toInt(),
                                         variant == QLatin1String("gui-model"));
        return print(load.value_or(QJsonObject()));
    }
    if (variant == QLatin1String("prune") || variant == QLatin1String("prune-filtered")) {
        const auto ms = measurePruneMs(count, variant == QLatin1String("prune-filtered"));
        return print({{QStringLiteral("ms"), figure(ms)}});
    }

    const std::map<QString, std::function<std::optional<double>(int)>> lifecycles{
        {QStringLiteral("coro"), coroLifecycleNs},
        {QStringLiteral("coro-floor"), coroFloorNs},
        {QStringLiteral("coro-awaits"), coroAwaitsLifecycleNs},
        {QStringLiteral("qcoro"), qcoroLifecycleNs},
        {QStringLiteral("pool"), poolLifecycleNs},
        {QStringLiteral("pool-floor"), poolFloorNs},
        {QStringLiteral("cancel-all"), cancelAllNs},
        {QStringLiteral("throw-floor"), throwFloorNs},
    };
    const auto it = lifecycles.find(variant);
    if (it == lifecycles.end()) {
        std::fprintf(stderr, "qtm-bench: unknown variant '%s'\n", qPrintable(variant));
        return 2;
    }
    if (variant.startsWith(QLatin1String("pool"))) {
        const int threads = parser.value(poolThreads).toInt();
        if (threads <= 0) {
            std::fprintf(stderr, "qtm-bench: --pool-threads must be a positive number\n");
            return 2;
        }
        pinGlobalThreadPool(threads);
    }
    (void)it->second(std::max(1, count / 10)); // warm-up: page in the code and the allocator
    setInstrumented(parser.isSet(instrument));
    return print({{QStringLiteral("ns_per_task"), figure(it->second(count))}});
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("qtm-bench"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("QtTaskManager benchmark harness (see docs/performance.md)"));
    parser.addHelpOption();
    const QCommandLineOption quick(QStringLiteral("quick"),
                                   QStringLiteral("Scaled-down counts; no instruction counts unless --callgrind."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print one JSON object instead of a table."));
    const QCommandLineOption only(
        QStringLiteral("only"),
        QStringLiteral("Measure only these figures: coro, pool, latency, scale, gui, prune, callgrind."),
        QStringLiteral("list"));
    const QCommandLineOption python(QStringLiteral("python"),
                                    QStringLiteral("The python3 that runs the asyncio baseline."),
                                    QStringLiteral("path"));
    const QCommandLineOption callgrind(QStringLiteral("callgrind"),
                                       QStringLiteral("Count instructions with valgrind's callgrind (the default "
                                                      "without --quick)."));
    const QCommandLineOption noCallgrind(QStringLiteral("no-callgrind"), QStringLiteral("Count no instructions."));
    const QCommandLineOption callgrindDirectory(QStringLiteral("callgrind-dir"),
                                                QStringLiteral("Keep callgrind's output files in this directory."),
                                                QStringLiteral("path"));
    const QCommandLineOption callgrindTasks(QStringLiteral("callgrind-tasks"),
                                            QStringLiteral("Tasks per variant under callgrind (default: 20000 "
                                                           "coroutine and cancelled tasks, 5000 thread-pool tasks, "
                                                           "2000 asyncio tasks; a tenth with --quick)."),
                                            QStringLiteral("n"));
    const QCommandLineOption mallocTunables(
        QStringLiteral("malloc-tunables"),
        QStringLiteral("GLIBC_TUNABLES for every child process (default: %1; empty: none).")
            .arg(QString::fromLatin1(pinnedMallocTunables)),
        QStringLiteral("tunables"));
    const QCommandLineOption poolThreads(QStringLiteral("pool-threads"),
                                         QStringLiteral("The thread pool's pinned maxThreadCount (default 2)."),
                                         QStringLiteral("n"), QStringLiteral("2"));
    const QCommandLineOption variant(QStringLiteral("variant"),
                                     QStringLiteral("Run one measurement in this process and print its JSON: coro, "
                                                    "coro-floor, coro-pending, qcoro, pool, pool-floor, cancel-all, "
                                                    "throw-floor, "
                                                    "latency, tasks, qpromise, gui-baseline, gui-model, prune, "
                                                    "prune-filtered."),
                                     QStringLiteral("name"));
    const QCommandLineOption probe(QStringLiteral("probe"), QStringLiteral("The former name of --variant."),
                                   QStringLiteral("name"));
    const QCommandLineOption count(QStringLiteral("count"), QStringLiteral("The variant's count."),
                                   QStringLiteral("n"));
    const QCommandLineOption batch(QStringLiteral("batch"), QStringLiteral("The tasks variant's batch."),
                                   QStringLiteral("n"));
    const QCommandLineOption seconds(QStringLiteral("seconds"), QStringLiteral("The gui variants' duration."),
                                     QStringLiteral("s"), QStringLiteral("5"));
    const QCommandLineOption rate(QStringLiteral("rate"), QStringLiteral("The gui variants' lifecycles per second."),
                                  QStringLiteral("n"), QStringLiteral("10000"));
    const QCommandLineOption pending(QStringLiteral("pending"),
                                     QStringLiteral("The coro-pending variant's tasks left waiting."),
                                     QStringLiteral("n"));
    const QCommandLineOption instrument(QStringLiteral("instrument"),
                                        QStringLiteral("Let callgrind count the variant's measured run (run under "
                                                       "valgrind --tool=callgrind --instr-atstart=no)."));
    parser.addOptions({quick, json, only, python, callgrind, noCallgrind, callgrindDirectory, mallocTunables,
                       poolThreads, variant, probe, count, batch, seconds, rate, instrument, callgrindTasks, pending});
    parser.process(app);

    if (parser.isSet(variant) || parser.isSet(probe)) {
        // One measurement alone, as the harness runs it, or to profile it:
        //   valgrind --tool=callgrind --instr-atstart=no qtm-bench --variant=coro --count=20000 --instrument
        const QString name = parser.isSet(variant) ? parser.value(variant) : parser.value(probe);
        return runVariantHere(name, parser.value(count).toInt(), parser, batch, seconds, rate, poolThreads, instrument,
                              pending);
    }

    Plan plan;
    if (parser.isSet(quick)) {
        plan.quick = true;
        plan.reps = 3;
        plan.lifecycleTasks = 20'000;
        plan.poolTasks = 5'000;
        plan.latencySamples = 200;
        plan.liveCounts = {1'000, 10'000, 100'000};
        plan.scaleReps = 1;
        plan.scaleBatch = 5'000;
        plan.guiSeconds = 1;
        plan.callgrind = false;
        plan.callgrindLifecycleTasks = 2'000;
        plan.callgrindPoolTasks = 500;
        plan.callgrindCancelTasks = 2'000;
        plan.callgrindAsyncioTasks = 200;
        plan.callgrindPending = {1'000, 10'000};
    }
    if (parser.isSet(callgrind))
        plan.callgrind = true;
    if (parser.isSet(noCallgrind))
        plan.callgrind = false;
    if (parser.isSet(callgrindTasks)) {
        const int tasks = parser.value(callgrindTasks).toInt();
        if (tasks <= 0) {
            std::fprintf(stderr, "qtm-bench: --callgrind-tasks must be a positive number, not '%s'\n",
                         qPrintable(parser.value(callgrindTasks)));
            return 2;
        }
        plan.callgrindLifecycleTasks = plan.callgrindPoolTasks = plan.callgrindCancelTasks = plan.callgrindAsyncioTasks
            = tasks;
    }
    plan.callgrindDirectory = parser.value(callgrindDirectory);
    if (parser.isSet(mallocTunables))
        plan.mallocTunables = parser.value(mallocTunables);
    plan.poolThreads = parser.value(poolThreads).toInt();
    if (plan.poolThreads <= 0) {
        std::fprintf(stderr, "qtm-bench: --pool-threads must be a positive number, not '%s'\n",
                     qPrintable(parser.value(poolThreads)));
        return 2;
    }
    if (parser.isSet(only))
        plan.only = parser.value(only).split(QLatin1Char(','), Qt::SkipEmptyParts);
    const QString pythonPath
        = parser.isSet(python) ? parser.value(python) : QStandardPaths::findExecutable(QStringLiteral("python3"));
    return runBenchmarks(plan, parser.isSet(json), pythonPath);
}
