// Instruction counts: a variant run under `valgrind --tool=callgrind`, its total read from the output file,
// and the functions that cost the most, read with callgrind_annotate. Instructions are counted the same way
// on a loaded machine and an idle one, where the wall clock is not.

#include "benchcommon.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QStandardPaths>

namespace qtm::bench {

namespace {

QString lastLines(const QByteArray &text, int count)
{
    QStringList lines = QString::fromUtf8(text).trimmed().split(QLatin1Char('\n'));
    if (lines.size() > count)
        lines = lines.mid(lines.size() - count);
    return lines.join(QLatin1Char('\n'));
}

//! The total of the first event (Ir) in a callgrind output file: its `totals:` line, or `summary:` in older
//! formats. -1 when there is none.
double readTotal(const QString &outputFile)
{
    QFile file(outputFile);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return -1;
    double summary = -1;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        for (const char *prefix : {"totals:", "summary:"}) {
            if (line.startsWith(prefix)) {
                const QList<QByteArray> fields = line.mid(qstrlen(prefix)).simplified().split(' ');
                bool ok = false;
                const double value = fields.value(0).toDouble(&ok);
                if (ok && qstrcmp(prefix, "totals:") == 0)
                    return value;
                if (ok)
                    summary = value;
            }
        }
    }
    return summary;
}

//! The binary a callgrind_annotate entry names ("libQt6Core.so.6.4.2" of "... [/usr/lib/.../libQt6Core...]").
QString objectName(const QString &entry)
{
    static const QRegularExpression library(QStringLiteral("\\[([^\\]]*)\\]$"));
    const QRegularExpressionMatch match = library.match(entry);
    return match.hasMatch() ? QFileInfo(match.captured(1)).fileName() : QString();
}

//! A demangled name short enough for a table: no library suffix, no source file prefix, at most 140
//! characters.
QString shortFunctionName(QString entry)
{
    static const QRegularExpression library(QStringLiteral("\\s+\\[[^\\]]*\\]$"));
    entry.remove(library);
    // callgrind_annotate prints "file:function"; a file name has no colon, a function's first one is "::".
    const qsizetype colon = entry.indexOf(QLatin1Char(':'));
    if (colon >= 0 && entry.mid(colon, 2) != QLatin1String("::"))
        entry = entry.mid(colon + 1);
    if (entry.size() > 140)
        entry = entry.left(139) + QChar(0x2026);
    return entry;
}

QJsonArray readProfile(const QString &valgrind, const QString &outputFile, int rows, int tasks)
{
    QString annotate = QFileInfo(valgrind).dir().filePath(QStringLiteral("callgrind_annotate"));
    if (!QFileInfo(annotate).isExecutable())
        annotate = QStandardPaths::findExecutable(QStringLiteral("callgrind_annotate"));
    if (annotate.isEmpty())
        return {};
    QProcess process;
    process.start(annotate, {QStringLiteral("--inclusive=yes"), QStringLiteral("--threshold=100"), outputFile});
    if (!process.waitForStarted() || !process.waitForFinished(-1) || process.exitCode() != 0)
        return {};
    // The table follows the header line that names its column "file:function":
    //   1,234,567 (45.6%)  /path/file.cpp:qtm::Function(int) [/path/libQtTaskManagerCore.so.0.1.0]
    static const QRegularExpression row(QStringLiteral("^\\s*([\\d,]+)\\s+\\(\\s*[\\d.]+%\\)\\s+(.+)$"));
    QJsonArray profile;
    bool inTable = false;
    const QStringList lines = QString::fromUtf8(process.readAllStandardOutput()).split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        if (!inTable) {
            inTable = line.contains(QLatin1String("file:function"));
            continue;
        }
        const QRegularExpressionMatch match = row.match(line);
        if (!match.hasMatch())
            continue;
        const double instructions = match.captured(1).remove(QLatin1Char(',')).toDouble();
        profile.append(QJsonObject{{QStringLiteral("function"), shortFunctionName(match.captured(2))},
                                   {QStringLiteral("object"), objectName(match.captured(2))},
                                   {QStringLiteral("instructions"), rounded(instructions / tasks)}});
        if (profile.size() == rows)
            break;
    }
    return profile;
}

} // namespace

QString findValgrind()
{
    return QStandardPaths::findExecutable(QStringLiteral("valgrind"));
}

std::optional<InstructionCount> countInstructions(const QString &valgrind, const QString &program,
                                                  const QStringList &arguments, const QString &outputFile,
                                                  bool onlyMeasuredRegion, int profileRows, int tasks, QString *error)
{
    QStringList all{QStringLiteral("--tool=callgrind"), QStringLiteral("-q"),
                    QStringLiteral("--callgrind-out-file=%1").arg(outputFile)};
    if (onlyMeasuredRegion)
        all.append(QStringLiteral("--instr-atstart=no"));
    all.append(program);
    all += arguments;
    QFile::remove(outputFile);

    QProcess process;
    process.setProcessChannelMode(QProcess::SeparateChannels);
    process.start(valgrind, all);
    if (!process.waitForStarted()) {
        *error = QStringLiteral("could not start %1: %2").arg(valgrind, process.errorString());
        return std::nullopt;
    }
    process.waitForFinished(-1);
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        *error = QStringLiteral("callgrind run of %1 %2 failed (exit %3): %4")
                     .arg(QFileInfo(program).fileName(), arguments.join(QLatin1Char(' ')))
                     .arg(process.exitCode())
                     .arg(lastLines(process.readAllStandardError(), 5));
        return std::nullopt;
    }
    InstructionCount count;
    count.outputFile = outputFile;
    count.total = readTotal(outputFile);
    if (count.total <= 0) {
        *error = QStringLiteral("%1 holds no instruction total (was the measured region reached?)").arg(outputFile);
        return std::nullopt;
    }
    if (profileRows > 0 && tasks > 0)
        count.profile = readProfile(valgrind, outputFile, profileRows, tasks);
    return count;
}

QString pythonExecutable(const QString &python)
{
    QProcess process;
    process.start(python, {QStringLiteral("-c"), QStringLiteral("import sys; print(sys.executable)")});
    if (!process.waitForStarted() || !process.waitForFinished(-1) || process.exitCode() != 0)
        return {};
    return QString::fromLocal8Bit(process.readAllStandardOutput()).trimmed();
}

} // namespace qtm::bench
