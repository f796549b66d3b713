#include "workload.h"

#include <qtm/awaitables.h>

#include <QtConcurrent/QtConcurrentRun>
#include <QtCore/QCryptographicHash>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QJsonDocument>
#include <QtCore/QLocale>

#include <cmath>
#include <stdexcept>
#include <vector>

using namespace std::chrono_literals;

Workload::Workload(qtm::TaskManager *manager, QObject *parent) : QObject(parent), m_manager(manager) { }

quint64 Workload::countPrimes(int limit)
{
    auto task = m_manager->createTask(
        [limit](qtm::TaskControl &control) -> qint64 {
            // Segmented sieve of Eratosthenes: small memory, and a natural place to report progress.
            const int root = int(std::sqrt(double(limit))) + 1;
            std::vector<char> isSmallPrime(size_t(root + 1), 1);
            std::vector<int> smallPrimes;
            for (int i = 2; i <= root; ++i) {
                if (!isSmallPrime[size_t(i)])
                    continue;
                smallPrimes.push_back(i);
                for (int j = i * i; j <= root; j += i)
                    isSmallPrime[size_t(j)] = 0;
            }
            constexpr int kSegment = 1 << 18;
            const int segments = (limit + kSegment - 1) / kSegment;
            control.setProgressRange(0, segments);
            qint64 count = 0;
            std::vector<char> sieve(kSegment);
            for (int s = 0; s < segments; ++s) {
                if (control.isCancelled())
                    return count;
                const qint64 low = qint64(s) * kSegment;
                const qint64 high = std::min<qint64>(low + kSegment, limit);
                std::fill(sieve.begin(), sieve.end(), 1);
                for (int p : smallPrimes) {
                    qint64 start = std::max<qint64>(qint64(p) * p, (low + p - 1) / p * p);
                    for (qint64 j = start; j < high; j += p)
                        sieve[size_t(j - low)] = 0;
                }
                for (qint64 n = std::max<qint64>(low, 2); n < high; ++n)
                    count += sieve[size_t(n - low)];
                control.setProgress(s + 1, Workload::tr("%1 primes so far").arg(QLocale().toString(count)));
            }
            control.setProgressText(
                Workload::tr("%1 primes below %2").arg(QLocale().toString(count), QLocale().toString(limit)));
            return count;
        },
        Workload::tr("Count primes below %1").arg(QLocale().toString(limit)));
    return task.id();
}

quint64 Workload::hashChain(int rounds)
{
    auto task = m_manager->createTask(
        [rounds](qtm::TaskControl &control) -> QByteArray {
            control.setProgressRange(0, rounds);
            QByteArray digest("QtTaskManager");
            for (int i = 0; i < rounds; ++i) {
                digest = QCryptographicHash::hash(digest, QCryptographicHash::Sha256);
                if (i % 4096 == 0) {
                    if (control.isCancelled())
                        return {};
                    control.setProgress(i, Workload::tr("round %1").arg(QLocale().toString(i)));
                }
            }
            control.setProgress(rounds, Workload::tr("digest %1…").arg(QString::fromLatin1(digest.toHex().left(16))));
            return digest;
        },
        Workload::tr("SHA-256 hash chain"));
    return task.id();
}

namespace {

quint32 checksum(const QByteArray &data)
{
    quint32 a = 1;
    quint32 b = 0;
    for (char c : data) {
        a = (a + quint8(c)) % 65521;
        b = (b + a) % 65521;
    }
    return (b << 16) | a;
}

qtm::Coro<QString> fetchAndMergeSteps()
{
    qtm::TaskControl control = qtm::this_task::control();
    control.setProgressRange(0, 4);
    control.setProgress(0, Workload::tr("connecting…"));
    co_await qtm::sleep(700ms);
    control.setProgress(1, Workload::tr("receiving 8 MB…"));
    co_await qtm::sleep(900ms);
    control.setProgress(2, Workload::tr("verifying checksum…"));
    const quint32 sum = co_await QtConcurrent::run([] { return checksum(QByteArray(8 << 20, 'q')); });
    control.setProgress(3, Workload::tr("merging…"));
    co_await qtm::sleep(600ms);
    const QString result = Workload::tr("merged, adler32 %1").arg(sum, 8, 16, QLatin1Char('0'));
    control.setProgress(4, result);
    co_return result;
}

qtm::Coro<void> importBrokenFileSteps()
{
    qtm::TaskControl control = qtm::this_task::control();
    control.setProgressRange(0, 3);
    control.setProgress(1, Workload::tr("downloading settings.json…"));
    co_await qtm::sleep(800ms);
    control.setProgress(2, Workload::tr("parsing…"));
    const QByteArray document
        = co_await QtConcurrent::run([] { return QByteArray(R"({"theme": "dark", "retries": 3,)"); });
    QJsonParseError error;
    QJsonDocument::fromJson(document, &error);
    if (error.error != QJsonParseError::NoError)
        throw std::runtime_error(
            Workload::tr("settings.json, offset %1: %2").arg(error.offset).arg(error.errorString()).toStdString());
}

} // namespace

quint64 Workload::fetchAndMerge()
{
    return m_manager->createTask(fetchAndMergeSteps(), Workload::tr("Fetch and merge")).id();
}

quint64 Workload::importBrokenFile()
{
    return m_manager->createTask(importBrokenFileSteps(), Workload::tr("Import settings.json")).id();
}

quint64 Workload::legacyExport(int seconds)
{
    auto task = m_manager->createTask(
        [seconds](qtm::TaskControl &control) -> int {
            // Deliberately never calls control.isCancelled(): this is the legacy code a cancellation
            // cannot stop, which cancelTask()'s time-out exists for.
            const QDeadlineTimer deadline(std::chrono::seconds{seconds});
            control.setProgressRange(0, seconds * 10);
            QByteArray digest("export");
            int blocks = 0;
            while (!deadline.hasExpired()) {
                for (int i = 0; i < 2000; ++i)
                    digest = QCryptographicHash::hash(digest, QCryptographicHash::Sha1);
                ++blocks;
                const int tenths = int(seconds * 10 - deadline.remainingTime() / 100);
                control.setProgress(tenths, Workload::tr("%1 blocks written").arg(QLocale().toString(blocks)));
            }
            return blocks;
        },
        Workload::tr("Legacy export (ignores cancel)"));
    return task.id();
}

int Workload::burst(int count)
{
    const int serial = ++m_burstSerial;
    for (int i = 0; i < count; ++i) {
        m_manager->createTask(
            [i]() {
                quint64 sum = 0;
                for (quint64 n = 1; n <= 2000; ++n)
                    sum += (n * n * quint64(i + 1)) % 9973;
                return sum;
            },
            Workload::tr("Burst %1 · item %2").arg(serial).arg(i + 1));
    }
    return count;
}
