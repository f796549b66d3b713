// A widget application's task view with the Widgets component: a QTableView over a TaskTableModel
// (sortable by any column through a QSortFilterProxyModel), a progress bar per row, a Cancel action for the
// selected tasks, and the counters in the status bar. No QML is involved.

#include <qtm/taskmanager.h>
#include <qtm/widgets/taskcancelaction.h>
#include <qtm/widgets/taskprogressdelegate.h>
#include <qtm/widgets/tasktablemodel.h>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCryptographicHash>
#include <QtCore/QElapsedTimer>
#include <QtCore/QSortFilterProxyModel>
#include <QtCore/QTimer>
#include <QtWidgets/QApplication>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMainWindow>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QTableView>
#include <QtWidgets/QToolBar>

#include <stdexcept>

using qtm::TaskListModel;
using qtm::TaskTableModel;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    qtm::TaskManager manager;

    TaskTableModel tasks;
    tasks.setManager(&manager);
    TaskListModel *list = tasks.listModel(); // the counters and the list-wide actions
    QSortFilterProxyModel sorted;
    sorted.setSourceModel(&tasks);
    sorted.setSortRole(TaskTableModel::SortRole);

    QMainWindow window;
    window.setWindowTitle(QStringLiteral("QtTaskManager — widgets"));
    auto *view = new QTableView(&window);
    view->setModel(&sorted);
    view->setSortingEnabled(true);
    view->sortByColumn(-1, Qt::AscendingOrder); // creation order until a header is clicked
    view->setItemDelegateForColumn(TaskTableModel::ProgressColumn, new qtm::TaskProgressDelegate(view));
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->setColumnWidth(TaskTableModel::NameColumn, 220);
    view->setColumnWidth(TaskTableModel::ProgressColumn, 180);
    window.setCentralWidget(view);

    QToolBar *toolbar = window.addToolBar(QStringLiteral("Tasks"));
    QAction *hashChain = toolbar->addAction(QStringLiteral("Hash chain"), &manager, [&manager] {
        manager.createTask(
            [](qtm::TaskControl &control) {
                constexpr int kRounds = 2'000'000;
                control.setProgressRange(0, kRounds);
                QByteArray digest("widgets");
                for (int i = 0; i < kRounds && !control.isCancelled(); ++i) {
                    digest = QCryptographicHash::hash(digest, QCryptographicHash::Sha256);
                    if (i % 4096 == 0)
                        control.setProgress(i, QStringLiteral("round %1").arg(i));
                }
                return digest;
            },
            QStringLiteral("SHA-256 hash chain"));
    });
    QAction *burst = toolbar->addAction(QStringLiteral("Burst of 1000"), &manager, [&manager] {
        for (int i = 0; i < 1000; ++i)
            manager.createTask([i] { return i * i; }, QStringLiteral("square %1").arg(i));
    });
    // A group of eight thumbnails, two at a time: the table shows them indented under their group.
    toolbar->addAction(QStringLiteral("Thumbnails (group)"), &manager, [&manager] {
        auto group = manager.createGroup({.name = QStringLiteral("thumbnails"), .maxConcurrent = 2});
        for (int i = 0; i < 8; ++i)
            group.createTask(
                [i]() -> qtm::Coro<void> { co_await qtm::sleep(std::chrono::milliseconds(300 + 100 * (i % 3))); },
                QStringLiteral("thumbnail %1").arg(i));
        group.close();
    });
    QAction *failing = toolbar->addAction(QStringLiteral("Failing task"), &manager, [&manager] {
        manager.createTask([]() -> int { throw std::runtime_error("disk full"); }, QStringLiteral("export report"));
    });
    auto *cancel = new qtm::TaskCancelAction(&tasks, view);
    cancel->setText(QStringLiteral("Cancel selected"));
    cancel->setShortcut(QKeySequence::Delete);
    cancel->setTimeout(2000);
    toolbar->addAction(cancel);
    toolbar->addAction(QStringLiteral("Cancel all"), list, [list] { list->cancelAll(); });
    toolbar->addAction(QStringLiteral("Clear finished"), list, [list] { list->clearFinished(); });

    auto *counters = new QLabel(&window);
    window.statusBar()->addWidget(counters);
    const auto showCounters = [list, counters] {
        counters->setText(QStringLiteral("%1 running · %2 pending · %3 succeeded · %4 failed · %5 cancelled")
                              .arg(list->runningCount())
                              .arg(list->pendingCount())
                              .arg(list->succeededCount())
                              .arg(list->failedCount())
                              .arg(list->cancelledCount()));
    };
    QObject::connect(list, &TaskListModel::countersChanged, counters, showCounters);
    showCounters();

    window.resize(900, 560);
    window.show();

    // --screenshot FILE: start work of each kind, cancel the hash chain with the Cancel action, and once
    // the table shows it all, save the window to FILE and quit (used by the test suite; exit status 1 if
    // the rows never appear).
    QCommandLineParser options;
    options.addHelpOption();
    options.addOption({QStringLiteral("screenshot"), QStringLiteral("Drive the window, save it to <file>, quit."),
                       QStringLiteral("file")});
    options.process(app);
    if (options.isSet(QStringLiteral("screenshot"))) {
        const QString file = options.value(QStringLiteral("screenshot"));
        hashChain->trigger();
        burst->trigger();
        failing->trigger();
        auto *poll = new QTimer(&window);
        QElapsedTimer waited;
        waited.start();
        bool asked = false;
        QObject::connect(poll, &QTimer::timeout, &window, [&, poll] {
            // Select the hash chain's row (the first task created) as a user would, and cancel it with the
            // action, which is enabled once the row is selected.
            if (!asked && tasks.rowCount() > 0) {
                view->selectRow(sorted.mapFromSource(tasks.index(0, 0)).row());
                if (cancel->isEnabled()) {
                    cancel->trigger();
                    asked = true;
                }
            }
            const bool ready
                = list->cancelledCount() == 1 && list->succeededTotal() == 1000 && list->failedCount() == 1;
            if (!ready && waited.elapsed() < 60'000)
                return;
            poll->stop();
            window.grab().save(file);
            QApplication::exit(ready ? 0 : 1);
        });
        poll->start(50);
    }

    const int status = QApplication::exec();
    manager.shutdown();
    return status;
}
