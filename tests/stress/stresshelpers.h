#pragma once

// Shared by the reliability suites (stress, faults, model): a log of every signal a manager emits,
// checked against the lifecycle the manager promises, and counters that prove nothing leaks.

#include <qtm/taskmanager.h>

#include <QtCore/QFile>
#include <QtCore/QHash>
#include <QtCore/QMutex>
#include <QtCore/QStringList>
#include <QtCore/QTextStream>

#include <atomic>
#include <cstdlib>

namespace qtmstress {

//! True when the suite was built with a sanitizer: the default counts are then smaller, so that each
//! test stays under its time bound even under ThreadSanitizer's slowdown.
constexpr bool sanitized =
#ifdef QTM_STRESS_SANITIZED
    true;
#else
    false;
#endif

//! An integer from the environment, or \a fallback.
inline long long envNumber(const char *name, long long fallback)
{
    const QByteArray value = qgetenv(name);
    bool ok = false;
    const long long number = value.toLongLong(&ok);
    return ok ? number : fallback;
}

//! Appends one line of figures to $QTM_FIGURES_FILE (scripts/reliability.sh gathers them), and prints it.
inline void reportFigures(const QString &line)
{
    qInfo().noquote() << "figures:" << line;
    const QByteArray path = qgetenv("QTM_FIGURES_FILE");
    if (path.isEmpty())
        return;
    QFile file(QString::fromLocal8Bit(path));
    if (file.open(QIODevice::Append | QIODevice::Text))
        QTextStream(&file) << line << '\n';
}

/*!
 * An object whose constructions and destructions are counted. Put one in a coroutine's parameters (it
 * then lives in the frame) or a thread function's captures (it lives in the task's body): `alive` back at
 * zero proves every frame and every body was destroyed.
 */
struct Counted
{
    static inline std::atomic<long long> alive{0};
    static inline std::atomic<long long> made{0};
    Counted() { ++alive, ++made; }
    Counted(const Counted &) { ++alive, ++made; }
    Counted(Counted &&) noexcept { ++alive, ++made; }
    Counted &operator=(const Counted &) = default;
    ~Counted() { --alive; }
};

/*!
 * Every signal of a manager, per task, checked as it arrives against the promised order:
 * created, [started], progress*, exactly one of succeeded/failed/cancelled, finished.
 * Signals are emitted in the manager's thread; the log is locked so other threads may read it.
 */
class SignalLog
{
public:
    enum Terminal : quint8
    {
        None,
        Succeeded,
        Failed,
        Cancelled
    };
    struct Entry
    {
        quint8 created = 0;
        quint8 started = 0;
        quint32 progress = 0;
        quint8 terminals = 0;
        quint8 finished = 0;
        Terminal terminal = None;
    };

    explicit SignalLog(qtm::TaskManager *manager, bool keepErrors = false) : m_keepErrors(keepErrors)
    {
        using M = qtm::TaskManager;
        auto on = [this](auto signal, auto handler) {
            m_connections.append(QObject::connect(m_manager, signal, m_manager, handler, Qt::DirectConnection));
        };
        m_manager = manager;
        on(&M::taskCreated, [this](const qtm::Task &t) { event(t, 'C'); });
        on(&M::taskStarted, [this](const qtm::Task &t) { event(t, 'S'); });
        on(&M::taskProgressChanged, [this](const qtm::Task &t) { event(t, 'P'); });
        on(&M::taskSucceeded, [this](const qtm::Task &t) { event(t, 's'); });
        on(&M::taskFailed, [this](const qtm::Task &t, const QString &error) {
            event(t, 'f');
            if (m_keepErrors) {
                QMutexLocker lock(&m_mutex);
                m_errors.insert(t.id(), error);
            }
        });
        on(&M::taskCancelled, [this](const qtm::Task &t) { event(t, 'c'); });
        on(&M::taskFinished, [this](const qtm::Task &t) { event(t, 'F'); });
    }

    //! Disconnects: a manager destroyed after its log must not report into it.
    ~SignalLog()
    {
        for (const QMetaObject::Connection &connection : std::as_const(m_connections))
            QObject::disconnect(connection);
    }
    SignalLog(const SignalLog &) = delete;
    SignalLog &operator=(const SignalLog &) = delete;

    Entry entry(quint64 id) const
    {
        QMutexLocker lock(&m_mutex);
        return m_entries.value(id);
    }
    bool contains(quint64 id) const
    {
        QMutexLocker lock(&m_mutex);
        return m_entries.contains(id);
    }
    QString error(quint64 id) const
    {
        QMutexLocker lock(&m_mutex);
        return m_errors.value(id);
    }
    qsizetype size() const
    {
        QMutexLocker lock(&m_mutex);
        return m_entries.size();
    }
    long long signalCount() const
    {
        QMutexLocker lock(&m_mutex);
        return m_signals;
    }
    //! Order violations seen so far (each names the task and what came out of order).
    QStringList violations() const
    {
        QMutexLocker lock(&m_mutex);
        return m_violations;
    }
    //! Ids that emitted taskCreated but not (yet) exactly one terminal signal and one taskFinished.
    QList<quint64> unfinished() const
    {
        QMutexLocker lock(&m_mutex);
        QList<quint64> ids;
        for (auto it = m_entries.cbegin(); it != m_entries.cend(); ++it) {
            if (it->terminals != 1 || it->finished != 1)
                ids.append(it.key());
        }
        return ids;
    }

private:
    void event(const qtm::Task &task, char what)
    {
        QMutexLocker lock(&m_mutex);
        ++m_signals;
        Entry &e = m_entries[task.id()];
        auto violation = [&](const char *problem) {
            if (m_violations.size() < 50)
                m_violations.append(QStringLiteral("task #%1 '%2': %3 (signal %4)")
                                        .arg(task.id())
                                        .arg(task.name(), QLatin1String(problem), QChar::fromLatin1(what)));
        };
        if (what != 'C' && !e.created)
            violation("a signal before taskCreated");
        if (e.finished)
            violation("a signal after taskFinished");
        switch (what) {
        case 'C':
            if (e.created++)
                violation("taskCreated twice");
            break;
        case 'S':
            if (e.started++)
                violation("taskStarted twice");
            if (e.progress || e.terminals)
                violation("taskStarted after progress or outcome");
            break;
        case 'P':
            ++e.progress;
            if (e.terminals)
                violation("taskProgressChanged after the outcome");
            break;
        case 's':
        case 'f':
        case 'c':
            if (e.terminals++)
                violation("a second outcome signal");
            e.terminal = what == 's' ? Succeeded : what == 'f' ? Failed : Cancelled;
            break;
        case 'F':
            if (e.finished++)
                violation("taskFinished twice");
            if (!e.terminals)
                violation("taskFinished without an outcome");
            break;
        }
    }

    qtm::TaskManager *m_manager = nullptr;
    QList<QMetaObject::Connection> m_connections;
    bool m_keepErrors;
    mutable QMutex m_mutex;
    QHash<quint64, Entry> m_entries;
    QHash<quint64, QString> m_errors;
    QStringList m_violations;
    long long m_signals = 0;
};

inline SignalLog::Terminal terminalOf(qtm::TaskState state)
{
    switch (state) {
    case qtm::TaskState::Succeeded:
        return SignalLog::Succeeded;
    case qtm::TaskState::Failed:
        return SignalLog::Failed;
    case qtm::TaskState::Cancelled:
        return SignalLog::Cancelled;
    default:
        return SignalLog::None;
    }
}

} // namespace qtmstress
