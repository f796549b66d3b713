// qtm-bench: what QtTaskManager's bookkeeping costs, against hand-written Qt, QCoro and asyncio, measured
// in one run. Every comparison is a ratio taken within one repetition (baselines interleaved with our code),
// and the median over the repetitions is reported. See docs/performance.md.

#include "benchcommon.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QStandardPaths>
#include <QtCore/QThread>

#include <cmath>
#include <cstdio>
#include <functional>
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

//! The per-repetition values of one figure, and the median of a ratio taken within each repetition.
struct Series
{
    std::vector<double> values;
    double median() const { return qtm::bench::median(values); }
};

double pairedRatio(const Series &numerator, const Series &denominator)
{
    std::vector<double> ratios;
    for (size_t i = 0; i < std::min(numerator.values.size(), denominator.values.size()); ++i)
        ratios.push_back(numerator.values[i] / denominator.values[i]);
    return median(ratios);
}

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

int runBenchmarks(const Plan &plan, bool json, const QString &python)
{
    QJsonObject out;
    QJsonArray notes;
    out.insert(QStringLiteral("mode"), plan.quick ? QStringLiteral("quick") : QStringLiteral("full"));
    out.insert(QStringLiteral("counts"), plan.toJson());
    out.insert(QStringLiteral("qt_version"), QString::fromLatin1(qVersion()));
    out.insert(QStringLiteral("compiler"), compilerName());
    out.insert(QStringLiteral("build_type"), QStringLiteral(QTM_BENCH_BUILD_TYPE));
    out.insert(QStringLiteral("cores"), QThread::idealThreadCount());
    if (!isOptimisedBuild()) {
        std::fprintf(stderr,
                     "qtm-bench: WARNING: this is a '%s' build, not an optimised Release build: the "
                     "figures mean little. Use `cmake --preset bench`.\n",
                     QTM_BENCH_BUILD_TYPE);
        notes.append(QStringLiteral("not an optimised Release build"));
    }

    // ---- Coroutine lifecycle: floor, ours, QCoro, asyncio, interleaved ---------------------------------
    Series coroFloor, coro, qcoro, asyncio;
    QString asyncioError;
    QString pythonVersion;
    if (plan.wants(QStringLiteral("coro"))) {
        const int n = plan.lifecycleTasks;
        progress(QStringLiteral("coroutine lifecycle, %1 tasks x %2").arg(n).arg(plan.reps));
        coroFloorNs(n / 10); // warm-up: page in the code and the allocator
        coroLifecycleNs(n / 10);
        (void)qcoroLifecycleNs(n / 10);
        for (int rep = 0; rep < plan.reps; ++rep) {
            coroFloor.values.push_back(coroFloorNs(n));
            coro.values.push_back(coroLifecycleNs(n));
            if (auto ns = qcoroLifecycleNs(n))
                qcoro.values.push_back(*ns);
            if (asyncioError.isEmpty()) {
                if (auto result
                    = runAsyncio(python, {QStringLiteral("lifecycle"), QString::number(n)}, &asyncioError)) {
                    asyncio.values.push_back(result->value(QStringLiteral("lifecycle_ns")).toDouble());
                    pythonVersion = result->value(QStringLiteral("python")).toString();
                }
                if (!asyncioError.isEmpty())
                    asyncio.values.clear();
            }
        }
    }
    out.insert(QStringLiteral("coro_floor_ns"), figure(coroFloor.median()));
    out.insert(QStringLiteral("coro_lifecycle_ns"), figure(coro.median()));
    out.insert(QStringLiteral("coro_overhead_ratio"), figure(pairedRatio(coro, coroFloor)));
    out.insert(QStringLiteral("qcoro_lifecycle_ns"), figure(qcoro.median()));
#ifndef QTM_BENCH_HAVE_QCORO
    notes.append(QStringLiteral("qcoro_lifecycle_ns: QCoro was not found at build time (Debian: qcoro-qt6-dev)"));
#endif

    // ---- Thread-pool lifecycle --------------------------------------------------------------------------
    Series poolFloor, pool;
    if (plan.wants(QStringLiteral("pool"))) {
        const int n = plan.poolTasks;
        progress(QStringLiteral("thread-pool lifecycle, %1 tasks x %2").arg(n).arg(plan.reps));
        poolFloorNs(n / 10);
        poolLifecycleNs(n / 10);
        for (int rep = 0; rep < plan.reps; ++rep) {
            poolFloor.values.push_back(poolFloorNs(n));
            pool.values.push_back(poolLifecycleNs(n));
        }
    }
    out.insert(QStringLiteral("pool_floor_ns"), figure(poolFloor.median()));
    out.insert(QStringLiteral("pool_lifecycle_ns"), figure(pool.median()));
    out.insert(QStringLiteral("pool_overhead_ratio"), figure(pairedRatio(pool, poolFloor)));

    // ---- Cancellation latency ---------------------------------------------------------------------------
    std::optional<double> latency;
    if (plan.wants(QStringLiteral("latency"))) {
        progress(QStringLiteral("cancellation latency, %1 samples").arg(plan.latencySamples));
        (void)cancelLatenciesUs(plan.latencySamples / 10);
        const std::vector<double> samples = cancelLatenciesUs(plan.latencySamples);
        latency = median(samples);
        std::vector<double> sorted = samples;
        std::sort(sorted.begin(), sorted.end());
        out.insert(QStringLiteral("cancel_latency_p99_us"), figure(sorted[size_t(0.99 * double(sorted.size() - 1))]));
    }
    out.insert(QStringLiteral("cancel_latency_us"), figure(latency));

    // ---- Scale: memory, lifecycle with many pending, snapshot, cancel-all (child processes) -------------
    std::map<int, std::map<QString, Series>> scale; // live count -> figure -> per repetition
    Series asyncioBytes, asyncioCancel, qpromiseBytes, cancelOverFloor;
    Series scaling;
    const int maxLive = plan.liveCounts.back();
    const int minLive = plan.liveCounts.front();
    QString probeError;
    if (plan.wants(QStringLiteral("scale"))) {
        for (int rep = 0; rep < plan.scaleReps && probeError.isEmpty(); ++rep) {
            for (int live : plan.liveCounts) {
                progress(QStringLiteral("scale: %1 live tasks (repetition %2 of %3)")
                             .arg(live)
                             .arg(rep + 1)
                             .arg(plan.scaleReps));
                const auto result = runProbe({QStringLiteral("--probe=tasks"), QStringLiteral("--count=%1").arg(live),
                                              QStringLiteral("--batch=%1").arg(plan.scaleBatch)},
                                             &probeError);
                if (!result)
                    break;
                for (auto it = result->begin(); it != result->end(); ++it)
                    scale[live][it.key()].values.push_back(it.value().toDouble());
            }
            if (!probeError.isEmpty())
                break;
            auto &top = scale[maxLive];
            scaling.values.push_back(top[QStringLiteral("lifecycle_ns")].values.back()
                                     / scale[minLive][QStringLiteral("lifecycle_ns")].values.back());
            cancelOverFloor.values.push_back(top[QStringLiteral("cancel_all_ns_per_task")].values.back()
                                             / top[QStringLiteral("throw_floor_ns")].values.back());
            progress(QStringLiteral("scale: %1 started QPromises").arg(maxLive));
            if (auto result = runProbe({QStringLiteral("--probe=qpromise"), QStringLiteral("--count=%1").arg(maxLive)},
                                       &probeError))
                qpromiseBytes.values.push_back(result->value(QStringLiteral("bytes_per_promise")).toDouble());
            if (asyncioError.isEmpty()) {
                progress(QStringLiteral("scale: %1 pending asyncio tasks").arg(maxLive));
                if (auto result
                    = runAsyncio(python, {QStringLiteral("pending"), QString::number(maxLive)}, &asyncioError)) {
                    asyncioBytes.values.push_back(result->value(QStringLiteral("bytes_per_pending_task")).toDouble());
                    asyncioCancel.values.push_back(result->value(QStringLiteral("cancel_ns_per_task")).toDouble());
                    pythonVersion = result->value(QStringLiteral("python")).toString();
                }
            }
        }
        if (!probeError.isEmpty())
            notes.append(QStringLiteral("scale probe failed: %1").arg(probeError));
    }
    auto atMax = [&](const char *key) { return scale[maxLive][QString::fromLatin1(key)].median(); };
    out.insert(QStringLiteral("bytes_per_pending_task"), figure(atMax("bytes_per_task")));
    out.insert(QStringLiteral("qpromise_bytes"), figure(qpromiseBytes.median()));
    out.insert(QStringLiteral("scaling_ratio"), figure(scaling.median()));
    out.insert(QStringLiteral("cancel_all_ns_per_task"), figure(atMax("cancel_all_ns_per_task")));
    out.insert(QStringLiteral("throw_floor_ns"), figure(atMax("throw_floor_ns")));
    out.insert(QStringLiteral("cancel_vs_throw_floor"), figure(cancelOverFloor.median()));
    out.insert(QStringLiteral("snapshot_ms_1m"), figure(atMax("snapshot_ms")));
    out.insert(QStringLiteral("asyncio_bytes_per_pending_task"), figure(asyncioBytes.median()));
    out.insert(QStringLiteral("asyncio_cancel_ns_per_task"), figure(asyncioCancel.median()));
    {
        Series ours = scale[maxLive][QStringLiteral("cancel_all_ns_per_task")];
        out.insert(QStringLiteral("cancel_speedup_vs_asyncio"), figure(pairedRatio(asyncioCancel, ours)));
    }
    out.insert(QStringLiteral("asyncio_lifecycle_ns"), figure(asyncio.median()));
    out.insert(QStringLiteral("speedup_vs_asyncio"), figure(pairedRatio(asyncio, coro)));
    if (!asyncioError.isEmpty())
        notes.append(QStringLiteral("asyncio baseline skipped: %1").arg(asyncioError));
    if (!pythonVersion.isEmpty())
        out.insert(QStringLiteral("python_version"), pythonVersion);
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

    // ---- GUI: the event loop with the task model attached -----------------------------------------------
    GuiFigures gui;
    if (plan.wants(QStringLiteral("gui"))) {
        progress(QStringLiteral("gui: %1 lifecycles/s for %2 s, without and with the model")
                     .arg(plan.guiRate)
                     .arg(plan.guiSeconds));
        gui = measureGui(plan.guiSeconds, plan.guiRate);
        if (!gui.note.isEmpty())
            notes.append(gui.note);
    }
    out.insert(QStringLiteral("gui_max_stall_ms"), figure(gui.maxStallMs));
    out.insert(QStringLiteral("gui_baseline_max_stall_ms"), figure(gui.baselineMaxStallMs));
    out.insert(QStringLiteral("gui_p99_stall_ms"), figure(gui.p99StallMs));
    out.insert(QStringLiteral("gui_max_stall_cpu_ms"), figure(gui.maxCpuStallMs));
    out.insert(QStringLiteral("gui_baseline_max_stall_cpu_ms"), figure(gui.baselineMaxCpuStallMs));
    out.insert(QStringLiteral("model_max_batch_ms"), figure(gui.modelMaxBatchMs));
    out.insert(QStringLiteral("gui_baseline_p99_stall_ms"), figure(gui.baselineP99StallMs));
    out.insert(QStringLiteral("model_updates_per_s"), figure(gui.modelUpdatesPerS));

    // ---- The task model pruning scattered rows in one batch, alone and under a filter model --------------
    std::map<QString, std::optional<double>> prune;
    for (const auto &[rows, suffix] : {std::pair{10'000, "10k"}, std::pair{80'000, "80k"}}) {
        for (const bool filtered : {false, true}) {
            std::optional<double> ms;
            if (plan.wants(QStringLiteral("prune"))) {
                ms = measurePruneMs(rows, filtered);
                if (ms)
                    progress(QStringLiteral("model: %1 rows, %2 scattered rows pruned in one batch%3: %4 ms")
                                 .arg(rows)
                                 .arg(rows / 2)
                                 .arg(filtered ? QStringLiteral(" under a filter model") : QString())
                                 .arg(*ms, 0, 'f', 1));
            }
            prune[QStringLiteral("model_prune%1_ms_%2")
                      .arg(filtered ? QStringLiteral("_filtered") : QString(), QLatin1String(suffix))]
                = ms;
        }
    }
    for (const auto &[key, ms] : prune)
        out.insert(key, figure(ms));

    out.insert(QStringLiteral("notes"), notes);

    if (json) {
        std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Indented).constData());
    } else {
        struct Row
        {
            const char *key;
            const char *goal;
        };
        const Row rows[] = {
            {"coro_lifecycle_ns", ""},
            {"coro_floor_ns", ""},
            {"coro_overhead_ratio", "<= 1.0"},
            {"qcoro_lifecycle_ns", "(reference)"},
            {"asyncio_lifecycle_ns", ""},
            {"speedup_vs_asyncio", ">= 20"},
            {"pool_lifecycle_ns", ""},
            {"pool_floor_ns", ""},
            {"pool_overhead_ratio", "<= 1.2"},
            {"bytes_per_pending_task", "<= 700"},
            {"qpromise_bytes", ""},
            {"asyncio_bytes_per_pending_task", ""},
            {"scaling_ratio", "<= 1.3"},
            {"cancel_all_ns_per_task", "<= 1.5 x throw_floor_ns"},
            {"throw_floor_ns", ""},
            {"cancel_vs_throw_floor", "<= 1.5"},
            {"asyncio_cancel_ns_per_task", ""},
            {"cancel_speedup_vs_asyncio", ">= 25"},
            {"snapshot_ms_1m", "<= 100"},
            {"cancel_latency_us", "<= 100"},
            {"gui_max_stall_ms", "<= 16"},
            {"gui_baseline_max_stall_ms", ""},
            {"gui_max_stall_cpu_ms", ""},
            {"gui_baseline_max_stall_cpu_ms", ""},
            {"model_max_batch_ms", ""},
            {"model_updates_per_s", "<= 60"},
            {"model_prune_ms_10k", ""},
            {"model_prune_ms_80k", ""},
            {"model_prune_filtered_ms_10k", ""},
            {"model_prune_filtered_ms_80k", ""},
        };
        std::printf("%-32s %14s  %s\n", "figure", "value", "goal");
        for (const Row &row : rows) {
            const QJsonValue value = out.value(QLatin1String(row.key));
            std::printf("%-32s %14s  %s\n", row.key,
                        value.isNull() ? "null" : qPrintable(QString::number(value.toDouble())), row.goal);
        }
        for (const QJsonValue &note : std::as_const(notes))
            std::printf("note: %s\n", qPrintable(note.toString()));
    }
    return 0;
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
                                   QStringLiteral("Scaled-down counts: finishes in under a minute."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print one JSON object instead of a table."));
    const QCommandLineOption only(QStringLiteral("only"),
                                  QStringLiteral("Measure only these figures: coro, pool, latency, scale, gui, prune."),
                                  QStringLiteral("list"));
    const QCommandLineOption python(QStringLiteral("python"),
                                    QStringLiteral("The python3 that runs the asyncio baseline."),
                                    QStringLiteral("path"));
    const QCommandLineOption probe(QStringLiteral("probe"), QStringLiteral("Internal: run one child measurement."),
                                   QStringLiteral("tasks|qpromise|coro|coro-floor|pool|pool-floor"));
    const QCommandLineOption count(QStringLiteral("count"), QStringLiteral("Internal: the probe's count."),
                                   QStringLiteral("n"));
    const QCommandLineOption batch(QStringLiteral("batch"), QStringLiteral("Internal: the probe's batch."),
                                   QStringLiteral("n"));
    parser.addOptions({quick, json, only, python, probe, count, batch});
    parser.process(app);

    if (parser.isSet(probe)) {
        const int n = parser.value(count).toInt();
        if (parser.value(probe) == QLatin1String("tasks"))
            return probeTasks(n, parser.value(batch).toInt());
        if (parser.value(probe) == QLatin1String("qpromise"))
            return probeQPromise(n);
        // One measurement alone, to profile it: valgrind --tool=callgrind qtm-bench --probe=coro --count=20000
        const std::map<QString, std::function<double(int)>> single{
            {QStringLiteral("coro"), coroLifecycleNs},
            {QStringLiteral("coro-floor"), coroFloorNs},
            {QStringLiteral("pool"), poolLifecycleNs},
            {QStringLiteral("pool-floor"), poolFloorNs},
        };
        if (auto it = single.find(parser.value(probe)); it != single.end()) {
            std::printf("{\"ns_per_task\": %g}\n", it->second(n));
            return 0;
        }
        std::fprintf(stderr, "qtm-bench: unknown probe '%s'\n", qPrintable(parser.value(probe)));
        return 2;
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
    }
    if (parser.isSet(only))
        plan.only = parser.value(only).split(QLatin1Char(','), Qt::SkipEmptyParts);
    const QString pythonPath
        = parser.isSet(python) ? parser.value(python) : QStandardPaths::findExecutable(QStringLiteral("python3"));
    return runBenchmarks(plan, parser.isSet(json), pythonPath);
}
