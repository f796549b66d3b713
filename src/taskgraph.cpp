// What suspended coroutine tasks wait on (their published AwaitSites), as frames, and the task graph.

#include <qtm/taskgraph.h>

#include "taskgraph_p.h"
#include "taskmanager_p.h"
#include "taskrecord_p.h"

#include <QtCore/QHash>
#include <QtCore/QSet>
#include <QtCore/QStringList>

#include <algorithm>
#include <functional>

namespace qtm {

namespace {

QString describeSite(const detail::AwaitSite &site)
{
    // A Task's, a Group's and a Signal's awaiters hold a DetailedAwaitSite.
    const auto details = [&site]() -> const detail::DetailedAwaitSite & {
        return static_cast<const detail::DetailedAwaitSite &>(site);
    };
    switch (site.kind) {
    case AwaitKind::Sleep:
        if (site.boundNs == std::chrono::nanoseconds::max().count())
            return QStringLiteral("sleep for ever");
        return QStringLiteral("sleep %1 ms").arg(site.boundNs / 1'000'000);
    case AwaitKind::Yield:
        return QStringLiteral("the next loop turn");
    case AwaitKind::Future:
        return QStringLiteral("a QFuture");
    case AwaitKind::Task:
        return QStringLiteral("task \"%1\" #%2").arg(details().awaitedTaskName).arg(details().awaitedTask);
    case AwaitKind::Cancel:
        return QStringLiteral("a cancelTask() outcome");
    case AwaitKind::Signal: {
        const detail::DetailedAwaitSite &signal = details();
        QString text = QStringLiteral("signal %1 of %2")
                           .arg(QString::fromLatin1(signal.signal.methodSignature()),
                                QString::fromLatin1(signal.senderClass ? signal.senderClass : "QObject"));
        if (!signal.senderName.isEmpty())
            text += QStringLiteral(" \"%1\"").arg(signal.senderName);
        if (site.boundNs >= 0)
            text += QStringLiteral(" (time-out %1 ms)").arg(site.boundNs / 1'000'000);
        return text;
    }
    case AwaitKind::Coroutine:
        return QStringLiteral("a coroutine");
    case AwaitKind::Group:
        return QStringLiteral("group \"%1\" #%2").arg(details().awaitedTaskName).arg(details().awaitedTask);
    }
    return {};
}

AwaitFrame frameOf(const detail::AwaitSite &site, std::int64_t nowNs)
{
    AwaitFrame frame;
    frame.kind = site.kind;
    frame.description = describeSite(site);
    frame.file = QString::fromUtf8(site.file);
    frame.line = int(site.line);
    frame.function = QString::fromUtf8(site.function);
    const std::int64_t waited = std::max<std::int64_t>(0, nowNs - site.sinceNs);
    frame.waitingMs = waited / 1'000'000;
    if (site.boundNs >= 0)
        frame.remainingMs = std::max<std::int64_t>(0, site.boundNs - waited) / 1'000'000;
    if (site.kind == AwaitKind::Task || site.kind == AwaitKind::Group) { // a FutureAwaiter's DetailedAwaitSite
        const auto &details = static_cast<const detail::DetailedAwaitSite &>(site);
        frame.awaitedTaskId = details.awaitedTask;
        frame.awaitedTaskName = details.awaitedTaskName;
    }
    return frame;
}

QString fileName(const QString &path)
{
    const qsizetype slash = std::max(path.lastIndexOf(QLatin1Char('/')), path.lastIndexOf(QLatin1Char('\\')));
    return path.mid(slash + 1);
}

} // namespace

QString detail::placeOf(const SourceLocation &where)
{
    if (!where.file)
        return {};
    return QStringLiteral("%1 %2:%3")
        .arg(QString::fromUtf8(where.function), fileName(QString::fromUtf8(where.file)))
        .arg(where.line);
}

QString AwaitFrame::location() const
{
    return QStringLiteral("%1:%2").arg(fileName(file)).arg(line);
}

QString AwaitFrame::toString(bool withTimes) const
{
    QString text = QStringLiteral("%1 %2 awaiting %3").arg(function, location(), description);
    if (withTimes) {
        if (remainingMs >= 0 && kind != AwaitKind::Coroutine)
            text += QStringLiteral(" (%1 ms left)").arg(remainingMs);
        text += QStringLiteral(" for %1 ms").arg(waitingMs);
    }
    return text;
}

QList<AwaitFrame> detail::awaitFramesOf(const TaskRecord &task)
{
    if (task.kind != TaskKind::Coroutine)
        return {};
    const auto shared = task.shared.lock(); // the sites stay in their frames while published
    return framesFrom(shared->awaiting, shared->enclosing);
}

QList<AwaitFrame> detail::framesFrom(const AwaitSite *innermost, const ChildAwaitSite *enclosing)
{
    QList<AwaitFrame> frames;
    if (!innermost)
        return frames;
    const std::int64_t now = TaskManagerPrivate::nowNs();
    frames.prepend(frameOf(*innermost, now));
    for (const ChildAwaitSite *site = enclosing; site; site = site->outer)
        frames.prepend(frameOf(*site, now));
    return frames;
}

TaskGraph detail::TaskGraphBuilder::capture(const QList<std::shared_ptr<TaskRecord>> &records)
{
    TaskGraph graph;
    graph.m_capturedAt = QDateTime::currentDateTime();
    graph.m_nodes.reserve(records.size());
    QHash<quint64, qsizetype> index;
    for (const auto &record : records) {
        TaskGraph::Node node;
        node.id = record->id;
        node.name = record->displayName();
        node.kind = record->kind;
        node.state = record->loadState();
        node.parentId = record->parentId;
        node.groupId = record->groupId;
        node.awaiting = awaitFramesOf(*record);
        index.insert(node.id, graph.m_nodes.size());
        graph.m_nodes.append(std::move(node));
    }
    // A task sits under its group while the group is live, else under the task that created it.
    for (const TaskGraph::Node &node : std::as_const(graph.m_nodes)) {
        const quint64 up = node.groupId && index.contains(node.groupId) ? node.groupId : node.parentId;
        if (const auto parent = index.constFind(up); parent != index.cend())
            graph.m_nodes[*parent].children.append(node.id);
    }
    return graph;
}

const TaskGraph::Node *TaskGraph::node(quint64 id) const
{
    const auto found = std::find_if(m_nodes.cbegin(), m_nodes.cend(), [id](const Node &node) { return node.id == id; });
    return found == m_nodes.cend() ? nullptr : &*found;
}

QList<quint64> TaskGraph::roots() const
{
    QSet<quint64> live;
    live.reserve(m_nodes.size());
    for (const Node &node : m_nodes)
        live.insert(node.id);
    QList<quint64> roots;
    for (const Node &node : m_nodes) {
        if (!live.contains(node.parentId) && !live.contains(node.groupId))
            roots.append(node.id);
    }
    return roots;
}

QList<QList<quint64>> TaskGraph::cycles() const
{
    // Each suspended task awaits at most one task (its innermost await): follow those edges from every
    // task; a walk that comes back to a task of its own path has found a cycle.
    QHash<quint64, quint64> awaits;
    for (const Node &node : m_nodes) {
        if (!node.awaiting.isEmpty()
            && (node.awaiting.last().kind == AwaitKind::Task || node.awaiting.last().kind == AwaitKind::Group))
            awaits.insert(node.id, node.awaiting.last().awaitedTaskId);
    }
    QList<QList<quint64>> cycles;
    QHash<quint64, int> walkOf; // the walk that first reached a task
    int walk = 0;
    for (const Node &start : m_nodes) {
        ++walk;
        QList<quint64> path;
        quint64 at = start.id;
        while (at != 0 && !walkOf.contains(at)) {
            walkOf.insert(at, walk);
            path.append(at);
            at = awaits.value(at, 0);
        }
        if (at == 0 || walkOf.value(at) != walk)
            continue; // ended, or joined an earlier walk: any cycle there was found then
        QList<quint64> cycle = path.mid(path.indexOf(at));
        std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
        cycles.append(cycle);
    }
    return cycles;
}

QString TaskGraph::toString(bool withTimes) const
{
    QStringList lines;
    QHash<quint64, const Node *> byId;
    for (const Node &node : m_nodes)
        byId.insert(node.id, &node);

    const auto taskLine = [](const Node &node) {
        return QStringLiteral("(T) %1 #%2 [%3]").arg(node.name).arg(node.id).arg(nameOf(node.state));
    };
    // A task's items: its await frames (each nested under the one before), then the tasks it created.
    std::function<void(const Node &, const QString &, bool)> addTask
        = [&](const Node &node, const QString &prefix, bool last) {
              lines << prefix + (last ? QStringLiteral("└── ") : QStringLiteral("├── ")) + taskLine(node);
              QString inner = prefix + (last ? QStringLiteral("    ") : QStringLiteral("│   "));
              const QString childPrefix = inner;
              QString framePrefix = inner;
              for (qsizetype i = 0; i < node.awaiting.size(); ++i) {
                  const bool lastItem = i > 0 || node.children.isEmpty();
                  lines << framePrefix + (lastItem ? QStringLiteral("└── ") : QStringLiteral("├── "))
                          + node.awaiting[i].toString(withTimes);
                  framePrefix += lastItem ? QStringLiteral("    ") : QStringLiteral("│   ");
              }
              for (qsizetype i = 0; i < node.children.size(); ++i) {
                  if (const Node *child = byId.value(node.children[i]))
                      addTask(*child, childPrefix, i == node.children.size() - 1);
              }
          };
    const QList<quint64> tops = roots();
    for (qsizetype i = 0; i < tops.size(); ++i)
        addTask(*byId.value(tops[i]), QString(), i == tops.size() - 1);
    for (const QList<quint64> &cycle : cycles()) {
        QStringList steps;
        for (quint64 id : cycle)
            steps << QStringLiteral("%1 #%2").arg(byId.value(id)->name).arg(id);
        steps << steps.first();
        lines << QStringLiteral("cycle: ") + steps.join(QStringLiteral(" -> "));
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace qtm
