#include "benchcommon.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QProcess>
#include <QtCore/QProcessEnvironment>

#include <algorithm>
#include <cmath>
#include <limits>

// Resident memory is read from Linux's /proc, scaled by the POSIX page size; elsewhere it is unknown (-1).
#ifdef __linux__
#include <unistd.h>
#endif

// callgrind's client requests: inline assembly that does nothing unless the process runs under valgrind.
#ifdef QTM_BENCH_HAVE_CALLGRIND
#include <valgrind/callgrind.h>
#endif

namespace qtm::bench {

namespace {
bool instrumented = false;
} // namespace

void setInstrumented(bool value)
{
    instrumented = value;
}

MeasuredRegion::MeasuredRegion() : m_instrumenting(instrumented)
{
#ifdef QTM_BENCH_HAVE_CALLGRIND
    if (m_instrumenting)
        CALLGRIND_START_INSTRUMENTATION;
#endif
    m_start = Clock::now();
}

double MeasuredRegion::stopNs()
{
    const double ns = nsSince(m_start);
#ifdef QTM_BENCH_HAVE_CALLGRIND
    if (m_instrumenting)
        CALLGRIND_STOP_INSTRUMENTATION;
#endif
    m_instrumenting = false;
    return ns;
}

MeasuredRegion::~MeasuredRegion()
{
    if (m_instrumenting)
        stopNs();
}

double median(std::vector<double> values)
{
    if (values.empty())
        return std::numeric_limits<double>::quiet_NaN();
    std::sort(values.begin(), values.end());
    const size_t middle = values.size() / 2;
    return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

qint64 residentBytes()
{
#ifdef __linux__
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    if (fields.size() < 2)
        return -1;
    return fields[1].toLongLong() * sysconf(_SC_PAGESIZE);
#else
    return -1;
#endif
}

QJsonArray loadAverages()
{
    QFile loadavg(QStringLiteral("/proc/loadavg"));
    if (!loadavg.open(QIODevice::ReadOnly))
        return {};
    const QList<QByteArray> fields = loadavg.readAll().split(' ');
    QJsonArray averages;
    for (qsizetype i = 0; i < std::min<qsizetype>(3, fields.size()); ++i)
        averages.append(fields[i].toDouble());
    return averages;
}

double rounded(double value)
{
    if (value == 0 || !std::isfinite(value))
        return value;
    const double scale = std::pow(10.0, 2 - int(std::floor(std::log10(std::fabs(value)))));
    return std::round(value * scale) / scale;
}

QJsonObject Plan::toJson() const
{
    QJsonArray live;
    for (int count : liveCounts)
        live.append(count);
    return {
        {QStringLiteral("repetitions"), reps},
        {QStringLiteral("lifecycle_tasks"), lifecycleTasks},
        {QStringLiteral("pool_tasks"), poolTasks},
        {QStringLiteral("cancel_latency_samples"), latencySamples},
        {QStringLiteral("live_counts"), live},
        {QStringLiteral("scale_repetitions"), scaleReps},
        {QStringLiteral("scale_batch"), scaleBatch},
        {QStringLiteral("gui_seconds"), guiSeconds},
        {QStringLiteral("gui_lifecycles_per_s"), guiRate},
        {QStringLiteral("pool_threads"), poolThreads},
        {QStringLiteral("malloc_tunables"), mallocTunables},
        {QStringLiteral("callgrind"), callgrind},
        {QStringLiteral("callgrind_lifecycle_tasks"), callgrindLifecycleTasks},
        {QStringLiteral("callgrind_pool_tasks"), callgrindPoolTasks},
        {QStringLiteral("callgrind_cancel_tasks"), callgrindCancelTasks},
        {QStringLiteral("callgrind_asyncio_tasks"), callgrindAsyncioTasks},
        {QStringLiteral("callgrind_pending"), QJsonArray{callgrindPending.front(), callgrindPending.back()}},
    };
}

namespace {
std::optional<QJsonObject> runAndParse(const QString &program, const QStringList &arguments,
                                       const QString &mallocTunables, QString *error)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::SeparateChannels);
    if (!mallocTunables.isEmpty()) {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("GLIBC_TUNABLES"), mallocTunables);
        process.setProcessEnvironment(environment);
    }
    process.start(program, arguments);
    if (!process.waitForStarted()) {
        *error = QStringLiteral("could not start %1: %2").arg(program, process.errorString());
        return std::nullopt;
    }
    process.waitForFinished(-1);
    const QByteArray output = process.readAllStandardOutput();
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        *error = QStringLiteral("%1 %2 failed (exit %3): %4")
                     .arg(program, arguments.join(QLatin1Char(' ')))
                     .arg(process.exitCode())
                     .arg(QString::fromUtf8(process.readAllStandardError()).trimmed());
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(output.trimmed(), &parseError);
    if (!document.isObject()) {
        *error = QStringLiteral("%1 printed no JSON object: %2").arg(program, parseError.errorString());
        return std::nullopt;
    }
    return document.object();
}
} // namespace

std::optional<QJsonObject> runVariant(const QStringList &arguments, const QString &mallocTunables, QString *error)
{
    return runAndParse(QCoreApplication::applicationFilePath(), arguments, mallocTunables, error);
}

QString asyncioScript()
{
    return QStringLiteral(QTM_BENCH_SOURCE_DIR "/asyncio_baseline.py");
}

std::optional<QJsonObject> runAsyncio(const QString &python, const QStringList &arguments,
                                      const QString &mallocTunables, QString *error)
{
    if (python.isEmpty()) {
        *error = QStringLiteral("python3 not found");
        return std::nullopt;
    }
    QStringList all{asyncioScript()};
    all += arguments;
    return runAndParse(python, all, mallocTunables, error);
}

} // namespace qtm::bench
