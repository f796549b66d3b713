#include <qtm/taskmanager.h>
#include <QtTest>
using namespace std::chrono_literals;
class tst_Coroutines : public QObject { Q_OBJECT
private Q_SLOTS:
  void smoke() {
    qtm::TaskManager manager;
    auto task = manager.createTask([]() -> qtm::Coro<int> { co_await qtm::sleep(1ms); co_return 42; }(), "answer");
    QTRY_VERIFY(task.isFinished());
    QCOMPARE(task.future().result(), 42);
  }
};
QTEST_GUILESS_MAIN(tst_Coroutines)
#include "tst_coroutines.moc"
