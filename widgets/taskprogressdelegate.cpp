#include <qtm/widgets/taskprogressdelegate.h>
#include <qtm/widgets/tasktablemodel.h>

#include <QtWidgets/QApplication>
#include <QtWidgets/QStyle>
#include <QtWidgets/QStyleOptionProgressBar>

#include <algorithm>

namespace qtm {

TaskProgressDelegate::TaskProgressDelegate(QObject *parent) : QStyledItemDelegate(parent) { }

TaskProgressDelegate::~TaskProgressDelegate() = default;

void TaskProgressDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QVariant percent = index.data(TaskTableModel::PercentRole);
    if (!percent.isValid()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QStyle *style = option.widget ? option.widget->style() : QApplication::style();

    // The cell itself first (background, selection, focus), without its text: the bar carries the text.
    QStyleOptionViewItem cell = option;
    initStyleOption(&cell, index);
    cell.text.clear();
    style->drawControl(QStyle::CE_ItemViewItem, &cell, painter, option.widget);

    QStyleOptionProgressBar bar;
    bar.rect = option.rect.adjusted(2, 2, -2, -2);
    bar.palette = option.palette;
    bar.direction = option.direction;
    bar.fontMetrics = option.fontMetrics;
    bar.state = (option.state & QStyle::State_Enabled) | QStyle::State_Horizontal;
    const int shown = percent.toInt();
    const bool running = index.data(TaskListModel::StateRole).value<TaskState>() == TaskState::Running;
    bar.minimum = 0;
    // A running task without a range: minimum == maximum asks the style for its busy bar.
    bar.maximum = shown < 0 && running ? 0 : 100;
    bar.progress = std::max(shown, 0);
    bar.text = index.data(Qt::DisplayRole).toString();
    bar.textVisible = !bar.text.isEmpty();
    bar.textAlignment = Qt::AlignCenter;
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, option.widget);
}

QSize TaskProgressDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    if (index.data(TaskTableModel::PercentRole).isValid())
        size.setWidth(std::max(size.width(), option.fontMetrics.horizontalAdvance(QStringLiteral("100%")) * 3));
    return size;
}

} // namespace qtm
