// Chrome trace event files (qtm::tracing): the JSON's form (what chrome://tracing and Perfetto read), a
// span per task with its awaits nested, a slice per step and per thread-pool run on its thread's lane,
// flows from creator to created, instants for cancellation requests, cancel time-outs and failures, the
// bounded ring. (QTM_TRACE=<file>, written at exit: trace_environment.cmake.)

#include <qtm/taskmanager.h>
#include <qtm/tracing.h>

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QSemaphore>
#include <QtCore/QTemporaryDir>
#include <QtTest>

#include <optional>

using namespace std::chrono_literals;

namespace {

constexpr int kWait = 20000; // generous: the tests must not depend on the machine being fast

void waitFor(const qtm::Task &task)
{
    if (!QTest::qWaitFor([&] { return task.isFinished(); }, kWait))
        qFatal("task %s did not finish in %d ms", qPrintable(task.name()), kWait);
}

//! Checks every event against the trace event format and returns them; empty (with a failure) if not.
QList<QJsonObject> checkedEvents(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        qWarning("not a JSON object: %s", qPrintable(error.errorString()));
        return {};
    }
    const QJsonValue events = document.object().value(QLatin1String("traceEvents"));
    if (!events.isArray()) {
        qWarning("no traceEvents array");
        return {};
    }
    QList<QJsonObject> out;
    for (const QJsonValue &value : events.toArray()) {
        const QJsonObject event = value.toObject();
        const QString phase = event.value(QLatin1String("ph")).toString();
        const bool known
            = QStringList{QStringLiteral("M"), QStringLiteral("b"), QStringLiteral("e"), QStringLiteral("X"),
                          QStringLiteral("i"), QStringLiteral("s"), QStringLiteral("f")}
                  .contains(phase);
        const bool ids
            = !QStringList{QStringLiteral("b"), QStringLiteral("e"), QStringLiteral("s"), QStringLiteral("f")}.contains(
                  phase)
            || event.value(QLatin1String("id")).isString();
        const bool timed = phase == QLatin1String("M") || event.value(QLatin1String("ts")).isDouble();
        if (!known || !ids || !timed || !event.value(QLatin1String("name")).isString()
            || !event.value(QLatin1String("pid")).isDouble() || !event.value(QLatin1String("tid")).isDouble()
            || (phase == QLatin1String("X") && !(event.value(QLatin1String("dur")).toDouble(-1) >= 0))
            || (phase == QLatin1String("i") && event.value(QLatin1String("s")).toString() != QLatin1String("t"))) {
            qWarning("not a trace event: %s", QJsonDocument(event).toJson(QJsonDocument::Compact).constData());
            return {};
        }
        out.append(event);
    }
    return out;
}

QList<QJsonObject> withPhase(const QList<QJsonObject> &events, const char *phase, quint64 id = 0)
{
    QList<QJsonObject> out;
    for (const QJsonObject &event : events) {
        if (event.value(QLatin1String("ph")).toString() == QLatin1String(phase)
            && (id == 0 || event.value(QLatin1String("id")).toString() == QString::number(id)))
            out.append(event);
    }
    return out;
}

double ts(const QJsonObject &event)
{
    return event.value(QLatin1String("ts")).toDouble();
}

QString detail(const QJsonObject &event)
{
    return event.value(QLatin1String("args")).toObject().value(QLatin1String("detail")).toString();
}

qtm::Coro<int> sleeper()
{
    co_await qtm::sleep(1ms);
    co_return 2;
}

qtm::Coro<int> spawner(qtm::TaskManager *manager, std::optional<qtm::Task> *created)
{
    *created = manager->createTask(sleeper(), QStringLiteral("child"));
    co_await **created;
    co_return 1;
}

qtm::Coro<void> failing()
{
    co_await qtm::yield();
    throw std::runtime_error("disk full");
}

} // namespace

class TraceTest : public QObject
{
    Q_OBJECT

private slots:
    void cleanup() { qtm::tracing::stop(); }

    void tasksStepsAwaitsFlowsAndInstants()
    {
        qtm::tracing::start();
        QVERIFY(qtm::tracing::isRecording());
        qtm::TaskManager manager;
        std::optional<qtm::Task> created;
        qtm::Task root = manager.createTask(spawner(&manager, &created), QStringLiteral("parent"));
        qtm::Task broken = manager.createTask(failing(), QStringLiteral("broken"));
        QSemaphore release;
        qtm::Task worker = manager.createTask([&release] { release.acquire(); }, QStringLiteral("worker"));
        QVERIFY(QTest::qWaitFor([&] { return worker.state() == qtm::TaskState::Running; }, kWait));
        QFuture<qtm::CancelOutcome> bound = manager.cancelTask(worker, 1ms); // ignored by the function: times out
        QVERIFY(QTest::qWaitFor([&] { return bound.isFinished(); }, kWait));
        QCOMPARE(bound.result(), qtm::CancelOutcome::TimedOut);
        release.release();
        waitFor(root);
        waitFor(broken);
        waitFor(worker);
        QVERIFY(created && created->isFinished());

        const QList<QJsonObject> events = checkedEvents(qtm::tracing::toJson());
        QVERIFY(!events.isEmpty());
        // Time order (the file is sorted; viewers expect it per lane).
        double last = 0;
        for (const QJsonObject &event : events) {
            if (event.value(QLatin1String("ph")).toString() == QLatin1String("M"))
                continue;
            QVERIFY(ts(event) >= last);
            last = ts(event);
        }
        // Every lane is named.
        QVERIFY(!withPhase(events, "M").isEmpty());

        // A span per task, begun and ended once, with its end state; the awaits nested inside it.
        for (const qtm::Task &task : {root, *created, broken, worker}) {
            const QList<QJsonObject> begins = withPhase(events, "b", task.id());
            const QList<QJsonObject> ends = withPhase(events, "e", task.id());
            QVERIFY2(!begins.isEmpty() && begins.size() == ends.size(), qPrintable(task.name()));
            QCOMPARE(begins.first().value(QLatin1String("name")).toString(), task.name());
            QCOMPARE(ends.last().value(QLatin1String("name")).toString(), task.name());
            QCOMPARE(detail(ends.last()), qtm::nameOf(task.state()));
            for (const QJsonObject &begin : begins)
                QVERIFY(ts(begin) >= ts(begins.first()) && ts(begin) <= ts(ends.last()));
        }
        const QList<QJsonObject> childBegins = withPhase(events, "b", created->id());
        QCOMPARE(childBegins.size(), 2); // the task, and its sleep
        QCOMPARE(childBegins[1].value(QLatin1String("name")).toString(), QStringLiteral("await Sleep"));
        QVERIFY2(detail(childBegins[1]).startsWith(QLatin1String("sleeper tst_trace.cpp:")),
                 qPrintable(detail(childBegins[1])));
        QCOMPARE(withPhase(events, "b", root.id())[1].value(QLatin1String("name")).toString(),
                 QStringLiteral("await Task"));

        // Steps on the manager's lane, the function on a pool thread's lane.
        QList<QJsonObject> rootSteps;
        QList<QJsonObject> workerRuns;
        for (const QJsonObject &slice : withPhase(events, "X")) {
            if (slice.value(QLatin1String("name")).toString() == QLatin1String("parent"))
                rootSteps << slice;
            if (slice.value(QLatin1String("name")).toString() == QLatin1String("worker"))
                workerRuns << slice;
        }
        QCOMPARE(rootSteps.size(), 2); // before and after its await
        QVERIFY(detail(rootSteps[1]).startsWith(QLatin1String("resumed at spawner tst_trace.cpp:")));
        QCOMPARE(workerRuns.size(), 1);
        QVERIFY(workerRuns[0].value(QLatin1String("tid")) != rootSteps[0].value(QLatin1String("tid")));

        // The flow from the parent's step to the child's first step.
        const QList<QJsonObject> starts = withPhase(events, "s", created->id());
        const QList<QJsonObject> finishes = withPhase(events, "f", created->id());
        QCOMPARE(starts.size(), 1);
        QCOMPARE(finishes.size(), 1);
        QVERIFY(ts(starts[0]) >= ts(rootSteps[0])
                && ts(starts[0]) <= ts(rootSteps[0]) + rootSteps[0].value(QLatin1String("dur")).toDouble());
        QVERIFY(ts(finishes[0]) >= ts(starts[0]));
        QVERIFY(withPhase(events, "s", root.id()).isEmpty()); // created from outside any task

        // Instants: the cancel request and its time-out, the failure with its error.
        QStringList instants;
        for (const QJsonObject &instant : withPhase(events, "i"))
            instants << instant.value(QLatin1String("name")).toString() + QLatin1Char('|') + detail(instant);
        QVERIFY2(instants.contains(QStringLiteral("cancel requested: worker|")), qPrintable(instants.join(u',')));
        QVERIFY2(instants.contains(QStringLiteral("cancel timed out: worker|")), qPrintable(instants.join(u',')));
        QVERIFY2(instants.contains(QStringLiteral("failed: broken|disk full")), qPrintable(instants.join(u',')));
    }

    void ringKeepsTheNewestAndEndsNothingItDropped()
    {
        qtm::tracing::start(64);
        qtm::TaskManager manager;
        QList<qtm::Task> tasks;
        for (int i = 0; i < 200; ++i)
            tasks << manager.createTask([]() -> qtm::Coro<void> { co_await qtm::yield(); }(), QStringLiteral("burst"));
        waitFor(tasks.last());
        QVERIFY(QTest::qWaitFor(
            [&] {
                return std::all_of(tasks.cbegin(), tasks.cend(), [](const qtm::Task &t) { return t.isFinished(); });
            },
            kWait));
        QVERIFY(qtm::tracing::droppedEvents() > 0);
        const QByteArray json = qtm::tracing::toJson();
        const QList<QJsonObject> events = checkedEvents(json);
        QVERIFY(!events.isEmpty());
        QVERIFY(events.size() - withPhase(events, "M").size() <= 64);
        QCOMPARE(QJsonDocument::fromJson(json)
                     .object()
                     .value(QLatin1String("otherData"))
                     .toObject()
                     .value(QLatin1String("droppedEvents"))
                     .toInteger(),
                 qint64(qtm::tracing::droppedEvents()));
        // No end without its beginning in the file.
        QHash<QString, int> open;
        for (const QJsonObject &event : events) {
            const QString id = event.value(QLatin1String("id")).toString();
            if (event.value(QLatin1String("ph")).toString() == QLatin1String("b"))
                ++open[id];
            if (event.value(QLatin1String("ph")).toString() == QLatin1String("e"))
                QVERIFY(--open[id] >= 0);
        }
        // Stopped, nothing more is recorded.
        qtm::tracing::stop();
        QVERIFY(!qtm::tracing::isRecording());
        const QByteArray before = qtm::tracing::toJson();
        waitFor(manager.createTask([]() -> qtm::Coro<void> { co_return; }(), QStringLiteral("after")));
        QCOMPARE(qtm::tracing::toJson(), before);
    }

    void writeToReportsAFileItCannotWrite()
    {
        qtm::tracing::start();
        QString error;
        QVERIFY(!qtm::tracing::writeTo(QStringLiteral("/nonexistent-directory/trace.json"), &error));
        QVERIFY2(error.contains(QLatin1String("/nonexistent-directory/trace.json")), qPrintable(error));
        QTemporaryDir directory;
        const QString path = directory.filePath(QStringLiteral("trace.json"));
        QVERIFY(qtm::tracing::writeTo(path));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), qtm::tracing::toJson());
    }
};

QTEST_GUILESS_MAIN(TraceTest)
#include "tst_trace.moc"
