// The console demo: real work of every kind, each task's life printed as it happens, with live
// progress bars when the output is a terminal.

#include <qtm/taskmanager.h>

#include <QtConcurrent/QtConcurrent>
#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QThread>

#include <algorithm>
#include <cmath>
#include <cstdio>

// Live progress bars only when the output is a terminal. The check is POSIX isatty() or, with MSVC,
// whose C library has no <unistd.h>, its _isatty().
#ifdef _WIN32
#include <io.h>
#else
#include <unistd.h>
#endif

using namespace std::chrono_literals;

namespace {

QElapsedTimer clock_;
#ifdef _WIN32
const bool tty = _isatty(_fileno(stdout));
#else
const bool tty = isatty(fileno(stdout));
#endif

void print(const QString &line)
{
    std::printf("%s[%6.3fs] %s\n", tty ? "\r\033[K" : "", clock_.nsecsElapsed() / 1e9, qPrintable(line));
    std::fflush(stdout);
}

QString bar(double fraction, int width = 30)
{
    const int filled = int(std::lround(fraction * width));
    return QString(filled, QChar(0x2588)) + QString(width - filled, QChar(0x2591));
}

//! Counts the primes below \a limit by trial division (slow on purpose: the progress bar has time to
//! move), reporting progress and honouring cancellation.
int countPrimes(qtm::TaskControl &control, int limit)
{
    int count = 0;
    control.setProgressRange(0, limit);
    for (int n = 2; n < limit; ++n) {
        if (n % 20'000 == 0) {
            if (control.isCancelled())
                return count;
            control.setProgress(n, QStringLiteral("%1 primes so far").arg(count));
        }
        bool prime = n == 2 || n % 2 != 0;
        for (int d = 3; prime && d * d <= n; d += 2)
            prime = n % d != 0;
        count += prime;
    }
    control.setProgress(limit, QStringLiteral("%1 primes").arg(count));
    return count;
}

//! A coroutine that waits on a timer, then on a future computed on the pool.
qtm::Coro<double> sleepThenAwaitFuture()
{
    co_await qtm::sleep(300ms);
    QFuture<double> future = QtConcurrent::run([] {
        double sum = 0;
        for (int k = 1; k <= 2'000'000; ++k)
            sum += 1.0 / (double(k) * k);
        return std::sqrt(sum * 6); // Basel problem: approaches pi
    });
    const double pi = co_await future;
    co_return pi;
}

qtm::Coro<void> readSensor()
{
    co_await qtm::sleep(200ms);
    throw std::runtime_error("the sensor is unplugged");
}

//! Thumbnails at work now, and the most at once: the group's limit shows in the second.
int thumbnailsRunning = 0;
int thumbnailsPeak = 0;

//! "Decodes and scales" image \a index; its size is the result.
qtm::Coro<int> makeThumbnail(int index)
{
    thumbnailsPeak = std::max(thumbnailsPeak, ++thumbnailsRunning);
    co_await qtm::sleep(std::chrono::milliseconds(60 + 15 * (index % 4)));
    --thumbnailsRunning;
    co_return 1000 + index;
}

//! An upload to a server that answers "503" twice before it takes the file.
qtm::Coro<QString> upload()
{
    co_await qtm::sleep(50ms);
    if (qtm::this_task::attempt() < 3)
        throw std::runtime_error("503 Service Unavailable");
    co_return QStringLiteral("receipt 7f3a");
}

//! The demo itself is a task: it starts the others, cancels one with a time bound, and awaits the rest.
qtm::Coro<int> demo(qtm::TaskManager *manager)
{
    auto primes = manager->createTask([](qtm::TaskControl &control) { return countPrimes(control, 8'000'000); },
                                      QStringLiteral("count primes"));
    auto pi = manager->createTask(sleepThenAwaitFuture(), QStringLiteral("estimate pi"));
    auto sensor = manager->createTask(readSensor(), QStringLiteral("read sensor"));
    auto stubborn = manager->createTask(
        [] {
            // Ignores cancellation: a plain function cannot see it.
            for (int i = 0; i < 15; ++i)
                QThread::msleep(100);
            return QStringLiteral("finished in its own time");
        },
        QStringLiteral("stubborn export"));

    co_await qtm::sleep(100ms);
    print(QStringLiteral("cancelling 'stubborn export' with a 300 ms bound..."));
    const qtm::CancelOutcome outcome = co_await manager->cancelTask(stubborn, 300ms);
    print(QStringLiteral("cancel of 'stubborn export' resolved: %1 (task still %2)")
              .arg(QString::fromLatin1(QMetaEnum::fromType<qtm::CancelOutcome>().valueToKey(int(outcome))),
                   QString::fromLatin1(QMetaEnum::fromType<qtm::TaskState>().valueToKey(int(stubborn.state())))));

    const double estimate = co_await pi;
    print(QStringLiteral("pi is about %1").arg(estimate, 0, 'f', 6));
    const int count = co_await primes;
    print(QStringLiteral("%1 primes below 8,000,000").arg(count));
    try {
        co_await sensor;
    } catch (const std::exception &error) {
        print(QStringLiteral("the sensor task failed as expected: %1").arg(QString::fromUtf8(error.what())));
    }

    // A group of twelve thumbnails, at most four at a time: the others wait in Pending for a slot.
    auto thumbnails = manager->createGroup<int>({.name = QStringLiteral("thumbnails"), .maxConcurrent = 4});
    for (int i = 0; i < 12; ++i)
        thumbnails.createTask(makeThumbnail(i), QStringLiteral("thumbnail %1").arg(i));
    const QList<int> sizes = co_await thumbnails; // closes the group and waits for all twelve
    print(QStringLiteral("%1 thumbnails made, at most %2 at a time").arg(sizes.size()).arg(thumbnailsPeak));

    // An upload retried with backoff (100 ms, then 200 ms), never past its 30 s deadline.
    auto uploading
        = manager->createTask([] { return upload(); },
                              {.name = QStringLiteral("upload"),
                               .deadline = 30s,
                               .retry = qtm::RetryPolicy{.maxAttempts = 5, .initialDelay = 100ms, .multiplier = 2.0}});
    const QString receipt = co_await uploading;
    print(QStringLiteral("uploaded after %1 attempts: %2").arg(uploading.attempt()).arg(receipt));
    co_return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    clock_.start();
    QLoggingCategory::setFilterRules(
        QStringLiteral("qtm.tasks.info=false\nqtm.tasks.warning=false")); // printed by our own slots

    qtm::TaskManager manager;
    manager.setProgressInterval(100ms);
    manager.setShutdownTimeout(3s);

    auto kind = [](const qtm::Task &task) {
        return QString::fromLatin1(QMetaEnum::fromType<qtm::TaskKind>().valueToKey(int(task.kind())));
    };
    QObject::connect(&manager, &qtm::TaskManager::taskCreated, [&](const qtm::Task &task) {
        print(QStringLiteral("created    #%1 %2 (%3)").arg(task.id()).arg(task.name(), kind(task)));
    });
    QObject::connect(&manager, &qtm::TaskManager::taskStarted, [](const qtm::Task &task) {
        print(QStringLiteral("started    #%1 %2").arg(task.id()).arg(task.name()));
    });
    QObject::connect(&manager, &qtm::TaskManager::taskProgressChanged, [](const qtm::Task &task) {
        const QString line = QStringLiteral("progress   #%1 %2 %3 %4% %5")
                                 .arg(task.id())
                                 .arg(task.name(), bar(task.progress()))
                                 .arg(int(task.progress() * 100))
                                 .arg(task.progressText());
        if (tty) {
            std::printf("\r\033[K%s", qPrintable(line)); // one live line, overwritten in place
            std::fflush(stdout);
        } else {
            print(line);
        }
    });
    QObject::connect(&manager, &qtm::TaskManager::taskSucceeded, [](const qtm::Task &task) {
        print(QStringLiteral("succeeded  #%1 %2 in %3 ms")
                  .arg(task.id())
                  .arg(task.name())
                  .arg(task.startedAt().msecsTo(task.finishedAt())));
    });
    QObject::connect(&manager, &qtm::TaskManager::taskFailed, [](const qtm::Task &task, const QString &error) {
        print(QStringLiteral("failed     #%1 %2: %3").arg(task.id()).arg(task.name(), error));
    });
    QObject::connect(&manager, &qtm::TaskManager::taskRetrying,
                     [](const qtm::Task &task, int attempt, qint64 delayMs, const QString &error) {
                         print(QStringLiteral("retrying   #%1 %2: %3; attempt %4 in %5 ms")
                                   .arg(task.id())
                                   .arg(task.name(), error)
                                   .arg(attempt)
                                   .arg(delayMs));
                     });
    QObject::connect(&manager, &qtm::TaskManager::taskCancelled, [](const qtm::Task &task) {
        print(QStringLiteral("cancelled  #%1 %2").arg(task.id()).arg(task.name()));
    });

    auto main = manager.createTask(demo(&manager), QStringLiteral("demo"));
    main.future().then(&app, [](int code) { QCoreApplication::exit(code); });
    const int code = app.exec();

    const QList<qtm::Task> dangling = manager.shutdown();
    print(QStringLiteral("shut down; %1 dangling task(s)%2")
              .arg(dangling.size())
              .arg(dangling.isEmpty() ? QString() : QStringLiteral(": ") + dangling.first().name()));
    return code;
}
