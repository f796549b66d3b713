// qtm-bench-groups: what structured concurrency costs, as same-run ratios (see docs/performance.md).
//
//   child_vs_plain   one coroutine task created in a group of 1000 (the group's own cost shared by them)
//                    against the same task created plainly: the lifecycle from createTask() to the last
//                    taskFinished; in a TaskGroup<int> (each result gathered into the group's future) and in
//                    a TaskGroup<void>
//   start_next       starting the next task waiting for a slot after one ends, with 100 and with 100 000
//                    waiting: the ratio shows how the cost grows with the queue (O(log n): barely)
//
// Each variant runs in a fresh process of its own, the variants alternating, with glibc's malloc pinned
// (benchcommon.h): heap layout left by one variant cannot decide another's figure. Medians of --reps runs.
// With valgrind installed, each variant's instructions per task are counted too (--no-callgrind: not).
//
//   qtm-bench-groups [--reps=N] [--tasks=N] [--no-callgrind] [--json]

#include "benchcommon.h"

#include <qtm/taskgroup.h>
#include <qtm/taskmanager.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QJsonDocument>
#include <QtCore/QPromise>
#include <QtCore/QTemporaryDir>

#include <cstdio>

using namespace qtm::bench;

namespace {

qtm::Coro<int> trivial()
{
    co_return 1;
}

qtm::Coro<void> waitFor(QFuture<void> gate)
{
    co_await gate;
}

constexpr int kBatch = 1000; // children per group

qtm::Coro<void> trivialVoid()
{
    co_return;
}

enum class In
{
    Nothing, //!< plain tasks
    GroupOfInt, //!< children of TaskGroup<int>: each result is gathered into the group's future
    GroupOfVoid, //!< children of TaskGroup<void>: the group's bookkeeping alone
};

//! ns per task from the first createTask() to the last taskFinished of \a tasks coroutine tasks.
double lifecycleNs(int tasks, In in)
{
    qtm::TaskManager manager;
    Countdown done(tasks);
    QObject::connect(&manager, &qtm::TaskManager::taskFinished, &manager, [&done](const qtm::Task &task) {
        if (task.kind() != qtm::TaskKind::Group)
            done.hit();
    });
    MeasuredRegion region;
    if (in == In::GroupOfInt) {
        for (int created = 0; created < tasks;) {
            auto group = manager.createGroup<int>();
            for (int i = 0; i < kBatch && created < tasks; ++i, ++created)
                (void)group.createTask(trivial());
            group.close();
        }
    } else if (in == In::GroupOfVoid) {
        for (int created = 0; created < tasks;) {
            auto group = manager.createGroup();
            for (int i = 0; i < kBatch && created < tasks; ++i, ++created)
                (void)group.createTask(trivialVoid());
            group.close();
        }
    } else {
        for (int i = 0; i < tasks; ++i)
            (void)manager.createTask(trivial());
    }
    done.wait();
    const double ns = region.stopNs() / tasks;
    // The last groups end after their last child's taskFinished: let them, outside the measured region.
    while (manager.taskCount() > 0)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    return ns;
}

/*!
 * ns per start of the next waiting task, with \a waiting tasks behind a limit of one: \a starts trivial
 * tasks at the front of the queue each end at once, and each end starts the next. Behind them a gated
 * "stopper" takes the slot, so that the \a waiting ones, with a lower priority, stay in the queue the whole
 * time.
 */
double startNextNs(int waiting, int starts)
{
    qtm::TaskManager manager;
    manager.setMaxConcurrentTasks(1);
    QPromise<void> gate;
    gate.start();
    const auto blocker = manager.createTask(waitFor(gate.future()), {.priority = 10});
    for (int i = 0; i < waiting; ++i)
        (void)manager.createTask(trivial(), {.priority = -1});
    for (int i = 0; i < starts; ++i)
        (void)manager.createTask(trivial(), {.priority = 5});
    QPromise<void> stop;
    stop.start();
    (void)manager.createTask(waitFor(stop.future()), {.priority = 4});
    while (blocker.state() != qtm::TaskState::Running)
        QCoreApplication::processEvents();
    Countdown done(starts);
    QObject::connect(&manager, &qtm::TaskManager::taskFinished, &manager, [&done](const qtm::Task &task) {
        if (task.priority() == 5)
            done.hit();
    });
    MeasuredRegion region;
    gate.finish(); // the blocker ends; each of the `starts` tasks starts as the one before it ends
    done.wait();
    const double ns = region.stopNs() / starts;
    if (manager.taskCount() != waiting + 1)
        qFatal("the waiting tasks did not stay in the queue");
    manager.setShutdownTimeout(std::chrono::milliseconds(0));
    (void)manager.shutdown(); // the waiting ones end unrun
    return ns;
}

int runOne(const QString &variant, int tasks, bool instrumented)
{
    setInstrumented(false);
    QJsonObject out;
    // A warm-up run of a tenth, then the measured one.
    if (variant == QLatin1String("plain") || variant.startsWith(QLatin1String("child"))) {
        const In in = variant == QLatin1String("child") ? In::GroupOfInt
            : variant == QLatin1String("child_void")    ? In::GroupOfVoid
                                                        : In::Nothing;
        lifecycleNs(qMax(1, tasks / 10), in);
        setInstrumented(instrumented);
        out.insert(QStringLiteral("ns_per_task"), lifecycleNs(tasks, in));
    } else if (variant.startsWith(QLatin1String("start_next_"))) {
        const int waiting = variant.mid(11).toInt();
        startNextNs(waiting, qMax(1, tasks / 10));
        setInstrumented(instrumented);
        out.insert(QStringLiteral("ns_per_task"), startNextNs(waiting, tasks));
    } else {
        std::fprintf(stderr, "unknown variant %s\n", qPrintable(variant));
        return 2;
    }
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return 0;
}

QString argument(const QStringList &arguments, const QString &name, const QString &fallback = {})
{
    for (const QString &a : arguments)
        if (a.startsWith(name + QLatin1Char('=')))
            return a.mid(name.size() + 1);
    return fallback;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList arguments = app.arguments();
    const int tasks = argument(arguments, QStringLiteral("--tasks"), QStringLiteral("100000")).toInt();
    if (const QString variant = argument(arguments, QStringLiteral("--variant")); !variant.isEmpty())
        return runOne(variant, tasks, arguments.contains(QLatin1String("--instrumented")));

    const int reps = argument(arguments, QStringLiteral("--reps"), QStringLiteral("5")).toInt();
    const bool json = arguments.contains(QLatin1String("--json"));
    const QStringList variants{QStringLiteral("plain"), QStringLiteral("child"), QStringLiteral("child_void"),
                               QStringLiteral("start_next_100"), QStringLiteral("start_next_100000")};
    const QString tunables = QString::fromLatin1(pinnedMallocTunables);
    std::map<QString, std::vector<double>> ns;
    for (int rep = 0; rep < reps; ++rep) {
        for (const QString &variant : variants) {
            QString error;
            const int count = variant.startsWith(QLatin1String("start_next")) ? tasks / 10 : tasks;
            const auto result = runVariant(
                {QStringLiteral("--variant=") + variant, QStringLiteral("--tasks=%1").arg(count)}, tunables, &error);
            if (!result) {
                std::fprintf(stderr, "%s: %s\n", qPrintable(variant), qPrintable(error));
                return 1;
            }
            ns[variant].push_back(result->value(QStringLiteral("ns_per_task")).toDouble());
        }
    }

    std::map<QString, double> instructions;
    const QString valgrind = findValgrind();
    if (!arguments.contains(QLatin1String("--no-callgrind")) && !valgrind.isEmpty()) {
        QTemporaryDir directory;
        for (const QString &variant : variants) {
            const int count = variant.startsWith(QLatin1String("start_next")) ? 2000 : 20000;
            QString error;
            const auto counted
                = countInstructions(valgrind, QCoreApplication::applicationFilePath(),
                                    {QStringLiteral("--variant=") + variant, QStringLiteral("--tasks=%1").arg(count),
                                     QStringLiteral("--instrumented")},
                                    directory.filePath(variant + QStringLiteral(".out")), true, 0, count, &error);
            if (!counted) {
                std::fprintf(stderr, "callgrind %s: %s\n", qPrintable(variant), qPrintable(error));
                return 1;
            }
            instructions[variant] = counted->total / count;
        }
    }

    const auto med = [&](const QString &v) { return median(ns[v]); };
    QJsonObject out;
    for (const QString &variant : variants) {
        QJsonObject figure{{QStringLiteral("ns_per_task_median"), rounded(med(variant))}};
        if (instructions.count(variant))
            figure.insert(QStringLiteral("instructions_per_task"), rounded(instructions[variant]));
        out.insert(variant, figure);
    }
    const double childRatio = med(QStringLiteral("child")) / med(QStringLiteral("plain"));
    const double voidChildRatio = med(QStringLiteral("child_void")) / med(QStringLiteral("plain"));
    const double startRatio = med(QStringLiteral("start_next_100000")) / med(QStringLiteral("start_next_100"));
    out.insert(QStringLiteral("child_vs_plain"), rounded(childRatio));
    out.insert(QStringLiteral("child_void_vs_plain"), rounded(voidChildRatio));
    out.insert(QStringLiteral("start_next_100000_vs_100"), rounded(startRatio));
    if (!instructions.empty()) {
        out.insert(QStringLiteral("child_vs_plain_instructions"),
                   rounded(instructions[QStringLiteral("child")] / instructions[QStringLiteral("plain")]));
        out.insert(QStringLiteral("child_void_vs_plain_instructions"),
                   rounded(instructions[QStringLiteral("child_void")] / instructions[QStringLiteral("plain")]));
        out.insert(QStringLiteral("start_next_100000_vs_100_instructions"),
                   rounded(instructions[QStringLiteral("start_next_100000")]
                           / instructions[QStringLiteral("start_next_100")]));
    }
    if (json) {
        std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Indented).constData());
        return 0;
    }
    std::printf("qtm-bench-groups: medians of %d runs, each variant in a fresh process\n", reps);
    for (const QString &variant : variants) {
        std::printf("  %-20s %9.0f ns per task", qPrintable(variant), med(variant));
        if (instructions.count(variant))
            std::printf("  %9.0f instructions per task", instructions[variant]);
        std::printf("\n");
    }
    std::printf("  a child in a TaskGroup<int> (its result gathered) / a plain task: %.2fx wall clock", childRatio);
    if (!instructions.empty())
        std::printf(", %.2fx instructions", out.value(QStringLiteral("child_vs_plain_instructions")).toDouble());
    std::printf("\n  a child in a TaskGroup<void> / a plain task: %.2fx wall clock", voidChildRatio);
    if (!instructions.empty())
        std::printf(", %.2fx instructions", out.value(QStringLiteral("child_void_vs_plain_instructions")).toDouble());
    std::printf("\n  starting the next waiting task, 100 000 waiting / 100 waiting: %.2fx wall clock", startRatio);
    if (!instructions.empty())
        std::printf(", %.2fx instructions",
                    out.value(QStringLiteral("start_next_100000_vs_100_instructions")).toDouble());
    std::printf("\n");
    return 0;
}
