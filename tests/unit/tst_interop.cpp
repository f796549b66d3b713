// What a Qt or standard C++ developer brings along: std::stop_token functions, qDebug() of handles and
// snapshots, the enums' names.

#include "testhelpers.h"

#include <qtm/taskmanager.h>

#include <QtCore/QThread>
#include <QtTest/QTest>

#if defined(__GLIBCXX__) && !defined(QTM_HAS_STOP_TOKEN)
#error "libstdc++ in C++20 has std::stop_token: the tests of stop_token functions must run here"
#endif

using namespace std::chrono_literals;

class tst_Interop : public QObject
{
    Q_OBJECT

private Q_SLOTS:
#ifdef QTM_HAS_STOP_TOKEN // the standard library has std::stop_token (libc++ 14 does not)
    void aFunctionTakingAStopTokenReturnsItsResult()
    {
        qtm::TaskManager manager;
        auto task = manager.createTask([](std::stop_token token) { return token.stop_requested() ? -1 : 42; },
                                       QStringLiteral("token"));
        QTRY_VERIFY(task.isFinished());
        QCOMPARE(task.state(), qtm::TaskState::Succeeded);
        QCOMPARE(task.future().result(), 42);
    }

    void aFunctionTakingAStopTokenSeesCancellationThroughIt()
    {
        qtm::TaskManager manager;
        qtmtest::EventLog log(&manager);
        std::atomic<bool> sawStop{false};
        auto task = manager.createTask(
            [&sawStop](std::stop_token token) {
                while (!token.stop_requested())
                    QThread::yieldCurrentThread();
                sawStop = true;
            },
            QStringLiteral("stoppable"));
        QTRY_COMPARE(task.state(), qtm::TaskState::Running);
        QVERIFY(task.isCancellable());
        const auto outcome = manager.cancelTask(task, 30s);
        QTRY_VERIFY_WITH_TIMEOUT(outcome.isFinished(), 30'000);
        QCOMPARE(outcome.result(), qtm::CancelOutcome::Cancelled);
        QVERIFY(sawStop);
        QCOMPARE(log.eventsOf(QStringLiteral("stoppable")),
                 (QStringList{QStringLiteral("created"), QStringLiteral("started"), QStringLiteral("cancelled"),
                              QStringLiteral("finished")}));
    }

    void aStopTokenFunctionCancelledThroughItsFutureStops()
    {
        qtm::TaskManager manager;
        auto task = manager.createTask(
            [](std::stop_token token) {
                while (!token.stop_requested())
                    QThread::yieldCurrentThread();
            },
            QStringLiteral("stoppable"));
        QTRY_COMPARE(task.state(), qtm::TaskState::Running);
        task.future().cancel();
        QTRY_VERIFY_WITH_TIMEOUT(task.isFinished(), 30'000);
        QCOMPARE(task.state(), qtm::TaskState::Cancelled);
    }
#endif

    void qDebugPrintsAHandleAndASnapshot()
    {
        qtm::TaskManager manager;
        auto task = manager.createTask(
            [](qtm::TaskControl &control) {
                control.setProgressRange(0, 4);
                control.setProgress(3, QStringLiteral("three"));
                throw std::runtime_error("broken");
            },
            QStringLiteral("printed"));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("'printed'.*failed: broken")));
        QTRY_VERIFY(task.isFinished());
        QString handleText, dataText, invalidText;
        QDebug(&handleText) << task;
        QDebug(&dataText) << task.data();
        QDebug(&invalidText) << qtm::Task();
        QCOMPARE(handleText.trimmed(),
                 QStringLiteral("qtm::Task(#%1, \"printed\", ThreadPool, Failed)").arg(task.id()));
        QCOMPARE(dataText.trimmed(),
                 QStringLiteral("qtm::TaskData(#%1, \"printed\", ThreadPool, Failed, progress 3/4, \"three\", error "
                                "\"broken\")")
                     .arg(task.id()));
        QCOMPARE(invalidText.trimmed(), QStringLiteral("qtm::Task(invalid)"));
    }

    void theEnumsHaveTheirNames()
    {
        // QCOMPARE of the enums still compiles and prints: nameOf() is not a toString() Qt Test would find.
        QCOMPARE(qtm::TaskState::Running, qtm::TaskState::Running);
        QCOMPARE(qtm::nameOf(qtm::TaskState::Running), QStringLiteral("Running"));
        QCOMPARE(qtm::nameOf(qtm::TaskKind::ThreadPool), QStringLiteral("ThreadPool"));
        QCOMPARE(qtm::nameOf(qtm::CancelOutcome::TimedOut), QStringLiteral("TimedOut"));
        QCOMPARE(qtm::nameOf(qtm::CancelOutcome::Rejected), QStringLiteral("Rejected"));
    }
};

QTEST_GUILESS_MAIN(tst_Interop)
#include "tst_interop.moc"
