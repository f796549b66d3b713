// Qt alone: two threads convert times to local time. Qt calls glibc's tzset(), whose tzset_internal()
// frees and duplicates its copy of the zone name on every call when TZ is unset, under glibc's internal
// __libc_lock, which ThreadSanitizer does not intercept: it reports the serialised strdup and free as a race.
#include <QtCore/QDateTime>

#include <thread>

int main()
{
    qunsetenv("TZ"); // before any thread starts
    auto convert = [] {
        for (int i = 0; i < 500; ++i)
            (void)QDateTime::fromMSecsSinceEpoch(qint64(i) * 3'600'000).toLocalTime().toString();
    };
    std::thread a(convert);
    std::thread b(convert);
    a.join();
    b.join();
    return 0;
}
