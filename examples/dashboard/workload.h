#pragma once

#include <qtm/taskmanager.h>

#include <QtCore/QObject>

/*!
 * Real work for the dashboard's buttons, one kind per method; each returns the new task's id.
 * Lives in the GUI thread next to the manager it creates tasks on.
 */
class Workload : public QObject
{
    Q_OBJECT

public:
    explicit Workload(qtm::TaskManager *manager, QObject *parent = nullptr);

    //! Thread-pool task: counts the primes below \a limit with a segmented sieve, reporting progress per
    //! segment and stopping when cancelled.
    Q_INVOKABLE quint64 countPrimes(int limit = 40'000'000);
    //! Thread-pool task: an iterated SHA-256 hash chain of \a rounds rounds.
    Q_INVOKABLE quint64 hashChain(int rounds = 1'500'000);
    //! Coroutine task: waits on timers and on a QtConcurrent future (a checksum), step by step.
    Q_INVOKABLE quint64 fetchAndMerge();
    //! Coroutine task that fails: the "downloaded" document is not valid JSON.
    Q_INVOKABLE quint64 importBrokenFile();
    //! Thread-pool task that never looks at its cancellation flag: hashes for \a seconds whatever happens,
    //! so a cancellation with a time-out ends as CancelOutcome::TimedOut and the task is abandoned.
    Q_INVOKABLE quint64 legacyExport(int seconds = 8);
    //! \a count short thread-pool tasks at once; returns how many were created.
    Q_INVOKABLE int burst(int count = 1000);

private:
    qtm::TaskManager *m_manager;
    int m_burstSerial = 0;
};
