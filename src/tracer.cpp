// Chrome trace events of every managed task (qtm::tracing): a ring buffer of the newest events, filled
// by the hooks of tracer_p.h, written as the JSON that Perfetto and chrome://tracing open.

#include <qtm/tracing.h>

#include "taskgraph_p.h"
#include "taskmanager_p.h"
#include "taskrecord_p.h"
#include "tracer_p.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QFile>
#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QSaveFile>
#include <QtCore/QSet>
#include <QtCore/QThread>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <vector>

namespace qtm::detail::trace {

std::atomic<bool> g_recording{false};

namespace {

struct Event
{
    char phase = 0; // Chrome's "ph": b/e async span, X complete slice, i instant, s/f flow
    const char *category = "";
    QString name;
    QString detail; // the "detail" argument, if any
    std::int64_t tsNs = 0;
    std::int64_t durNs = 0;
    quint64 id = 0; // the task's id: async spans and flows
    quint32 tid = 0;
};

//! This thread's lane: a small number, and its name, kept apart from the ring so it is never dropped.
quint32 threadLane();

class Recorder
{
public:
    void start(std::size_t capacity)
    {
        const std::lock_guard lock(m_mutex);
        m_ring.assign(std::max<std::size_t>(capacity, 16), Event());
        m_next = 0;
        m_count = 0;
        m_dropped = 0;
        m_originNs = TaskManagerPrivate::nowNs();
        g_recording.store(true);
    }

    void add(Event &&event)
    {
        const std::lock_guard lock(m_mutex);
        if (m_ring.empty())
            return;
        if (m_count == m_ring.size())
            ++m_dropped;
        else
            ++m_count;
        m_ring[m_next] = std::move(event);
        m_next = (m_next + 1) % m_ring.size();
    }

    void nameLane(quint32 lane, const QString &name)
    {
        const std::lock_guard lock(m_mutex);
        m_lanes.insert(lane, name);
    }

    std::size_t dropped() const
    {
        const std::lock_guard lock(m_mutex);
        return m_dropped;
    }

    QByteArray toJson() const
    {
        std::vector<Event> events;
        QHash<quint32, QString> lanes;
        std::int64_t origin;
        std::size_t dropped;
        {
            const std::lock_guard lock(m_mutex);
            events.reserve(m_count);
            const std::size_t first = (m_next + m_ring.size() - m_count) % std::max<std::size_t>(m_ring.size(), 1);
            for (std::size_t i = 0; i < m_count; ++i)
                events.push_back(m_ring[(first + i) % m_ring.size()]);
            lanes = m_lanes;
            origin = m_originNs;
            dropped = m_dropped;
        }
        // In time order: events of one task come from several threads (created in one, ended in another).
        std::stable_sort(events.begin(), events.end(), [](const Event &a, const Event &b) { return a.tsNs < b.tsNs; });

        const qint64 pid = QCoreApplication::applicationPid();
        QJsonArray out;
        for (auto it = lanes.cbegin(); it != lanes.cend(); ++it) {
            out.append(QJsonObject{{QStringLiteral("ph"), QStringLiteral("M")},
                                   {QStringLiteral("name"), QStringLiteral("thread_name")},
                                   {QStringLiteral("pid"), pid},
                                   {QStringLiteral("tid"), qint64(it.key())},
                                   {QStringLiteral("args"), QJsonObject{{QStringLiteral("name"), it.value()}}}});
        }
        // A span whose beginning was dropped from the ring has nothing to end, nor a flow without its start.
        QHash<quint64, int> open; // async spans begun per task id
        QSet<quint64> flows;
        for (const Event &event : events) {
            if (event.phase == 'b') {
                ++open[event.id];
            } else if (event.phase == 'e') {
                auto found = open.find(event.id);
                if (found == open.end() || *found == 0)
                    continue;
                --*found;
            } else if (event.phase == 's') {
                flows.insert(event.id);
            } else if (event.phase == 'f' && !flows.remove(event.id)) {
                continue;
            }
            QJsonObject object{{QStringLiteral("ph"), QString(QLatin1Char(event.phase))},
                               {QStringLiteral("cat"), QString::fromLatin1(event.category)},
                               {QStringLiteral("name"), event.name},
                               {QStringLiteral("pid"), pid},
                               {QStringLiteral("tid"), qint64(event.tid)},
                               {QStringLiteral("ts"), double(event.tsNs - origin) / 1000.0}};
            switch (event.phase) {
            case 'X':
                object.insert(QStringLiteral("dur"), double(event.durNs) / 1000.0);
                break;
            case 'b':
            case 'e':
            case 's':
                object.insert(QStringLiteral("id"), QString::number(event.id));
                break;
            case 'f':
                object.insert(QStringLiteral("id"), QString::number(event.id));
                object.insert(QStringLiteral("bp"), QStringLiteral("e")); // binds to the slice it falls in
                break;
            case 'i':
                object.insert(QStringLiteral("s"), QStringLiteral("t"));
                break;
            default:
                break;
            }
            if (!event.detail.isEmpty())
                object.insert(QStringLiteral("args"), QJsonObject{{QStringLiteral("detail"), event.detail}});
            out.append(object);
        }
        const QJsonObject document{{QStringLiteral("traceEvents"), out},
                                   {QStringLiteral("displayTimeUnit"), QStringLiteral("ms")},
                                   {QStringLiteral("otherData"),
                                    QJsonObject{{QStringLiteral("producer"), QStringLiteral("QtTaskManager")},
                                                {QStringLiteral("droppedEvents"), qint64(dropped)}}}};
        return QJsonDocument(document).toJson(QJsonDocument::Compact);
    }

private:
    mutable std::mutex m_mutex;
    std::vector<Event> m_ring;
    std::size_t m_next = 0;
    std::size_t m_count = 0;
    std::size_t m_dropped = 0;
    std::int64_t m_originNs = 0;
    QHash<quint32, QString> m_lanes;
};

Recorder &recorder()
{
    static Recorder instance;
    return instance;
}

quint32 threadLane()
{
    static std::atomic<quint32> lanes{0};
    thread_local const quint32 lane = [] {
        const quint32 number = ++lanes;
        const QThread *thread = QThread::currentThread();
        QString name = thread ? thread->objectName() : QString();
        if (name.isEmpty())
            name = QCoreApplication::instance() && thread == QCoreApplication::instance()->thread()
                ? QStringLiteral("main thread")
                : QStringLiteral("thread %1").arg(number);
        recorder().nameLane(number, name);
        return number;
    }();
    return lane;
}

void add(char phase, const char *category, QString name, std::int64_t tsNs, quint64 id, QString detail = {},
         std::int64_t durNs = 0)
{
    Event event;
    event.phase = phase;
    event.category = category;
    event.name = std::move(name);
    event.detail = std::move(detail);
    event.tsNs = tsNs;
    event.durNs = durNs;
    event.id = id;
    event.tid = threadLane();
    recorder().add(std::move(event));
}

QString awaitName(const AwaitSite &site)
{
    return QStringLiteral("await ") + nameOf(site.kind);
}

} // namespace

void initFromEnvironment()
{
    static std::once_flag once;
    std::call_once(once, [] {
        static const QString path = qEnvironmentVariable("QTM_TRACE"); // constructed before the atexit below
        if (path.isEmpty())
            return;
        bool ok = false;
        const qulonglong capacity = qEnvironmentVariable("QTM_TRACE_EVENTS").toULongLong(&ok);
        recorder(); // constructed before the atexit below, so destroyed after it
        tracing::start(ok && capacity > 0 ? std::size_t(capacity) : tracing::defaultCapacity);
        std::atexit([] {
            QString error;
            if (!tracing::writeTo(path, &error))
                qCWarning(lcTasks).noquote() << "QTM_TRACE: could not write the trace:" << error;
        });
    });
}

void taskCreated(const TaskRecord &task, std::int64_t createdNs)
{
    add('b', "task", task.displayName(), createdNs, task.id, nameOf(task.kind));
    if (t_currentTask && t_currentTask->managerId == task.managerId)
        add('s', "flow", QStringLiteral("created"), createdNs, task.id);
}

void taskEnded(const TaskRecord &task, TaskState state, const QString &errorText)
{
    const std::int64_t now = TaskManagerPrivate::nowNs();
    if (state == TaskState::Failed)
        add('i', "event", QStringLiteral("failed: %1").arg(task.displayName()), now, task.id, errorText);
    add('e', "task", task.displayName(), now, task.id, nameOf(state));
}

void slice(const TaskRecord &task, std::int64_t beganNs, std::int64_t endedNs, const SourceLocation &resumedFrom)
{
    if (!resumedFrom.file)
        add('f', "flow", QStringLiteral("created"), beganNs, task.id);
    add('X', "step", task.displayName(), beganNs, task.id,
        resumedFrom.file ? QStringLiteral("resumed at %1").arg(placeOf(resumedFrom)) : QString(),
        std::max<std::int64_t>(0, endedNs - beganNs));
}

void awaitBegan(const TaskRecord &task, const AwaitSite &site)
{
    add('b', "task", awaitName(site), site.sinceNs, task.id, placeOf(site.location()));
}

void awaitEnded(const TaskRecord &task, const AwaitSite &site)
{
    add('e', "task", awaitName(site), TaskManagerPrivate::nowNs(), task.id);
}

void instant(const TaskRecord &task, const char *what)
{
    add('i', "event", QStringLiteral("%1: %2").arg(QLatin1String(what), task.displayName()),
        TaskManagerPrivate::nowNs(), task.id);
}

} // namespace qtm::detail::trace

namespace qtm::tracing {

void start(std::size_t capacity)
{
    detail::trace::recorder().start(capacity);
}

void stop()
{
    detail::trace::g_recording.store(false);
}

bool isRecording()
{
    return detail::trace::on();
}

std::size_t droppedEvents()
{
    return detail::trace::recorder().dropped();
}

QByteArray toJson()
{
    return detail::trace::recorder().toJson();
}

bool writeTo(const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(toJson()) < 0 || !file.commit()) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace qtm::tracing
