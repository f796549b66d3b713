// TaskListModel in a widget application: a QTableView over a TaskFilterModel, a progress-bar delegate,
// and a Cancel action for the selected task. The model needs no QML: it is a plain QAbstractListModel.

#include <qtm/quick/taskfiltermodel.h>
#include <qtm/quick/tasklistmodel.h>
#include <qtm/taskmanager.h>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCryptographicHash>
#include <QtCore/QElapsedTimer>
#include <QtCore/QIdentityProxyModel>
#include <QtCore/QMetaEnum>
#include <QtCore/QTimer>
#include <QtWidgets/QApplication>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMainWindow>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QStyledItemDelegate>
#include <QtWidgets/QTableView>
#include <QtWidgets/QToolBar>

#include <array>

using qtm::TaskListModel;

namespace {

struct Column
{
    const char *title;
    int role;
};

constexpr std::array kColumns{
    Column{"Task", TaskListModel::NameRole},
    Column{"State", TaskListModel::StateTextRole},
    Column{"Progress", TaskListModel::ProgressRole},
    Column{"Elapsed", TaskListModel::ElapsedRole},
    Column{"Details", TaskListModel::ProgressTextRole},
};
constexpr int kProgressColumn = 2;

/*!
 * Turns the list model's roles into table columns: column c shows role kColumns[c].role as its display
 * text. Row signals pass through unchanged, so the table gets the list model's coalesced batches.
 */
class TaskTableModel : public QIdentityProxyModel
{
public:
    using QIdentityProxyModel::QIdentityProxyModel;

    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(kColumns.size());
    }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override
    {
        if (parent.isValid() || row < 0 || row >= rowCount() || column < 0 || column >= columnCount())
            return {};
        return createIndex(row, column);
    }

    QModelIndex parent(const QModelIndex &) const override { return {}; }

    QModelIndex mapToSource(const QModelIndex &proxy) const override
    {
        return proxy.isValid() && sourceModel() ? sourceModel()->index(proxy.row(), 0) : QModelIndex();
    }

    QModelIndex mapFromSource(const QModelIndex &source) const override
    {
        return source.isValid() ? createIndex(source.row(), 0) : QModelIndex();
    }

    QVariant data(const QModelIndex &index, int role) const override
    {
        const QModelIndex source = mapToSource(index);
        if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
            return source.data(role); // the list model's own roles stay reachable on every column
        const Column &column = kColumns[size_t(index.column())];
        if (role == Qt::ToolTipRole)
            return source.data(TaskListModel::ErrorTextRole);
        if (column.role == TaskListModel::ElapsedRole)
            return QStringLiteral("%1 s").arg(source.data(column.role).toLongLong() / 1000.0, 0, 'f', 1);
        if (column.role == TaskListModel::ProgressTextRole) {
            const QString error = source.data(TaskListModel::ErrorTextRole).toString();
            return error.isEmpty() ? source.data(column.role) : error;
        }
        return source.data(column.role);
    }

    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section >= 0 && section < columnCount())
            return QString::fromLatin1(kColumns[size_t(section)].title);
        return QIdentityProxyModel::headerData(section, orientation, role);
    }

    // Every column of a changed row changed: widen the list model's single-column ranges.
    void setSourceModel(QAbstractItemModel *model) override
    {
        QIdentityProxyModel::setSourceModel(model);
        connect(model, &QAbstractItemModel::dataChanged, this,
                [this](const QModelIndex &first, const QModelIndex &last, const QList<int> &roles) {
                    Q_EMIT dataChanged(createIndex(first.row(), 0), createIndex(last.row(), columnCount() - 1), roles);
                });
    }
};

//! Paints the progress column as a progress bar, like a file manager's copy dialog.
class ProgressDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyleOptionProgressBar bar;
        bar.rect = option.rect.adjusted(4, 4, -4, -4);
        bar.minimum = 0;
        bar.maximum = 1000;
        const auto state = index.data(TaskListModel::StateRole).value<qtm::TaskState>();
        // A task that reports no progress range: full once it succeeded, "…" while it runs, "–" otherwise.
        const bool noRange = index.data(TaskListModel::ProgressMaximumRole).toInt()
            == index.data(TaskListModel::ProgressMinimumRole).toInt();
        if (noRange) {
            const bool done = state == qtm::TaskState::Succeeded;
            bar.progress = done ? 1000 : 0;
            bar.text = done                        ? QStringLiteral("100%")
                : state == qtm::TaskState::Running ? QStringLiteral("…")
                                                   : QStringLiteral("–");
        } else {
            bar.progress = int(index.data(TaskListModel::ProgressRole).toDouble() * 1000);
            bar.text = QStringLiteral("%1%").arg(bar.progress / 10);
        }
        bar.textVisible = true;
        bar.state = option.state | QStyle::State_Horizontal;
        QApplication::style()->drawControl(QStyle::CE_ProgressBar, &bar, painter);
    }
};

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    qtm::TaskManager manager;

    TaskListModel tasks;
    tasks.setManager(&manager);
    qtm::TaskFilterModel newestFirst;
    newestFirst.setSourceModel(&tasks);
    newestFirst.setDescending(true);
    TaskTableModel table;
    table.setSourceModel(&newestFirst);

    QMainWindow window;
    window.setWindowTitle(QStringLiteral("QtTaskManager — widgets"));
    auto *view = new QTableView(&window);
    view->setModel(&table);
    view->setItemDelegateForColumn(kProgressColumn, new ProgressDelegate(view));
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->setColumnWidth(0, 240);
    view->setColumnWidth(kProgressColumn, 180);
    window.setCentralWidget(view);

    QToolBar *toolbar = window.addToolBar(QStringLiteral("Tasks"));
    toolbar->addAction(QStringLiteral("Hash chain"), &manager, [&manager] {
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
    toolbar->addAction(QStringLiteral("Burst of 1000"), &manager, [&manager] {
        for (int i = 0; i < 1000; ++i)
            manager.createTask([i] { return i * i; }, QStringLiteral("square %1").arg(i));
    });
    QAction *cancel = toolbar->addAction(QStringLiteral("Cancel selected"));
    cancel->setShortcut(QKeySequence::Delete);
    QObject::connect(cancel, &QAction::triggered, &tasks, [&] {
        const QModelIndex current = view->currentIndex();
        if (current.isValid())
            tasks.cancel(current.data(TaskListModel::IdRole).toULongLong(), 2000);
    });
    toolbar->addAction(QStringLiteral("Cancel all"), &tasks, [&tasks] { tasks.cancelAll(); });
    toolbar->addAction(QStringLiteral("Clear finished"), &tasks, [&tasks] { tasks.clearFinished(); });

    auto *counters = new QLabel(&window);
    window.statusBar()->addWidget(counters);
    QObject::connect(&tasks, &TaskListModel::countersChanged, counters, [&tasks, counters] {
        counters->setText(QStringLiteral("%1 running · %2 pending · %3 succeeded · %4 failed · %5 cancelled")
                              .arg(tasks.runningCount())
                              .arg(tasks.pendingCount())
                              .arg(tasks.succeededCount())
                              .arg(tasks.failedCount())
                              .arg(tasks.cancelledCount()));
    });
    Q_EMIT tasks.countersChanged();

    window.resize(900, 560);
    window.show();

    // --screenshot FILE: start work of each kind, cancel the hash chain, and once the table shows it all,
    // save the window to FILE and quit (used by the test suite; exit status 1 if the rows never appear).
    QCommandLineParser options;
    options.addHelpOption();
    options.addOption({QStringLiteral("screenshot"), QStringLiteral("Drive the window, save it to <file>, quit."),
                       QStringLiteral("file")});
    options.process(app);
    if (options.isSet(QStringLiteral("screenshot"))) {
        const QString file = options.value(QStringLiteral("screenshot"));
        toolbar->actions().at(0)->trigger(); // hash chain
        toolbar->actions().at(1)->trigger(); // burst of 1000
        QTimer::singleShot(0, &tasks, [&] {
            tasks.flush();
            for (int row = 0; row < tasks.rowCount(); ++row) {
                if (tasks.index(row).data(TaskListModel::NameRole).toString() == QLatin1String("SHA-256 hash chain"))
                    tasks.cancel(tasks.index(row).data(TaskListModel::IdRole).toULongLong());
            }
        });
        auto *poll = new QTimer(&window);
        QElapsedTimer waited;
        waited.start();
        QObject::connect(poll, &QTimer::timeout, &window, [&, poll] {
            const bool ready = tasks.cancelledCount() == 1 && tasks.succeededTotal() == 1000;
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
