// The Widgets component from an installed package (or through pkg-config): a table view of a manager's
// tasks with the progress delegate and the cancel action, run offscreen until the task has succeeded.
#include <qtm/taskmanager.h>
#include <qtm/widgets/taskcancelaction.h>
#include <qtm/widgets/taskprogressdelegate.h>
#include <qtm/widgets/tasktablemodel.h>

#include <QtCore/QTimer>
#include <QtWidgets/QApplication>
#include <QtWidgets/QTableView>

#include <cstdio>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    qtm::TaskManager manager;
    qtm::TaskTableModel tasks;
    tasks.setManager(&manager);

    QTableView view;
    view.setModel(&tasks);
    view.setItemDelegateForColumn(qtm::TaskTableModel::ProgressColumn, new qtm::TaskProgressDelegate(&view));
    auto *cancel = new qtm::TaskCancelAction(&tasks, &view);
    view.addAction(cancel);
    view.show();

    manager.createTask(
        [](qtm::TaskControl &control) {
            control.setProgressRange(0, 10);
            for (int i = 0; i <= 10; ++i)
                control.setProgressValue(i);
        },
        QStringLiteral("count to ten"));

    QObject::connect(tasks.listModel(), &qtm::TaskListModel::countersChanged, &app, [&] {
        if (tasks.listModel()->succeededCount() != 1)
            return;
        const QModelIndex progress = tasks.index(0, qtm::TaskTableModel::ProgressColumn);
        std::printf("%s: %s, %s\n", qPrintable(tasks.index(0, qtm::TaskTableModel::NameColumn).data().toString()),
                    qPrintable(tasks.index(0, qtm::TaskTableModel::StateColumn).data().toString()),
                    qPrintable(progress.data().toString()));
        QApplication::quit();
    });
    QTimer::singleShot(60'000, &app, [] { QApplication::exit(1); });
    return QApplication::exec();
}
