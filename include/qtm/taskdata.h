#pragma once

#include <qtm/taskcontext.h>
#include <qtm/taskenums.h>

#include <QtCore/QDateTime>
#include <QtCore/QString>

QT_BEGIN_NAMESPACE
class QDebug;
QT_END_NAMESPACE

namespace qtm {

/*!
 * The record the manager keeps for each task, as a snapshot value: everything a dashboard, a log line or
 * a test needs to know about a task at one moment. Get one from Task::data().
 */
struct QTM_EXPORT TaskData
{
    Q_GADGET
    Q_PROPERTY(quint64 id MEMBER id CONSTANT)
    Q_PROPERTY(QString name MEMBER name CONSTANT)
    Q_PROPERTY(qtm::TaskKind kind MEMBER kind CONSTANT)
    Q_PROPERTY(qtm::TaskState state MEMBER state CONSTANT)
    Q_PROPERTY(int progressValue MEMBER progressValue CONSTANT)
    Q_PROPERTY(int progressMinimum MEMBER progressMinimum CONSTANT)
    Q_PROPERTY(int progressMaximum MEMBER progressMaximum CONSTANT)
    Q_PROPERTY(QString progressText MEMBER progressText CONSTANT)
    Q_PROPERTY(QString errorText MEMBER errorText CONSTANT)
    Q_PROPERTY(QDateTime createdAt MEMBER createdAt CONSTANT)
    Q_PROPERTY(QDateTime startedAt MEMBER startedAt CONSTANT)
    Q_PROPERTY(QDateTime finishedAt MEMBER finishedAt CONSTANT)
    Q_PROPERTY(bool cancellable MEMBER cancellable CONSTANT)

public:
    quint64 id = 0;
    QString name;
    TaskKind kind = TaskKind::Coroutine;
    TaskState state = TaskState::Pending;
    int progressValue = 0;
    int progressMinimum = 0;
    int progressMaximum = 0;
    QString progressText;
    QString errorText;
    QDateTime createdAt;
    QDateTime startedAt;
    QDateTime finishedAt;
    bool cancellable = true;
    TaskContext context;

    //! Progress as a fraction in [0, 1]; 0 while the range is empty.
    double progress() const;
};

//! Prints the snapshot's id, name, kind, state, and its progress and error where it has them.
QTM_EXPORT QDebug operator<<(QDebug debug, const TaskData &data);

} // namespace qtm
