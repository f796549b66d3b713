#pragma once

// Registers the core library's types with QML (the core itself knows nothing of QML): the manager classes
// and the item models TaskListModel and TaskStatisticsModel as QML types, and the enums of namespace qtm as QML enums
// TaskState, TaskKind and CancelOutcome. The registrar reads the core's metatypes (qt_extract_metatypes in src/), so
// the module's type information describes the foreign types' properties, signals and methods.
//
// The enums are mirrored rather than registered with QML_FOREIGN_NAMESPACE(qtm): Qt 6.4's type registrar,
// before it was given the core's metatypes, emitted QMetaType::fromType<qtm>() for the namespace, which
// does not compile. Mirroring also gives each enum its own QML name, so TaskState.Cancelled and
// CancelOutcome.Cancelled cannot be confused. The values are the core's, checked below; a model role or
// signal argument of type qtm::TaskState reaches QML as the same number.

#include <qtm/tasklistmodel.h>
#include <qtm/taskmanager.h>
#include <qtm/taskstatisticsmodel.h>

#include <QtQml/qqml.h>

namespace qtm::quick {

struct BaseTaskManagerForeign
{
    Q_GADGET
    QML_FOREIGN(qtm::BaseTaskManager)
    QML_NAMED_ELEMENT(BaseTaskManager)
    QML_UNCREATABLE("BaseTaskManager is an interface: create a TaskManager in C++ and pass it to QML.")
};

//! Creatable in QML for QML-only prototypes; real applications create the manager in C++.
struct TaskManagerForeign
{
    Q_GADGET
    QML_FOREIGN(qtm::TaskManager)
    QML_NAMED_ELEMENT(TaskManager)
};

//! Lives in the core library (it needs Qt Core only), so that the Widgets component shares it.
struct TaskListModelForeign
{
    Q_GADGET
    QML_FOREIGN(qtm::TaskListModel)
    QML_NAMED_ELEMENT(TaskListModel)
};

//! The per-name task statistics as a table; in the core library for the same reason as TaskListModel.
struct TaskStatisticsModelForeign
{
    Q_GADGET
    QML_FOREIGN(qtm::TaskStatisticsModel)
    QML_NAMED_ELEMENT(TaskStatisticsModel)
};

namespace QmlTaskState {
Q_NAMESPACE
QML_NAMED_ELEMENT(TaskState)
enum Value
{
    Pending = int(qtm::TaskState::Pending),
    Running = int(qtm::TaskState::Running),
    Succeeded = int(qtm::TaskState::Succeeded),
    Failed = int(qtm::TaskState::Failed),
    Cancelled = int(qtm::TaskState::Cancelled),
};
Q_ENUM_NS(Value)
} // namespace QmlTaskState

namespace QmlTaskKind {
Q_NAMESPACE
QML_NAMED_ELEMENT(TaskKind)
enum Value
{
    Coroutine = int(qtm::TaskKind::Coroutine),
    ThreadPool = int(qtm::TaskKind::ThreadPool),
    Future = int(qtm::TaskKind::Future),
    Group = int(qtm::TaskKind::Group),
};
Q_ENUM_NS(Value)
} // namespace QmlTaskKind

namespace QmlCancelOutcome {
Q_NAMESPACE
QML_NAMED_ELEMENT(CancelOutcome)
enum Value
{
    Cancelled = int(qtm::CancelOutcome::Cancelled),
    AlreadyFinished = int(qtm::CancelOutcome::AlreadyFinished),
    FinishedAnyway = int(qtm::CancelOutcome::FinishedAnyway),
    FailedAnyway = int(qtm::CancelOutcome::FailedAnyway),
    TimedOut = int(qtm::CancelOutcome::TimedOut),
};
Q_ENUM_NS(Value)
} // namespace QmlCancelOutcome

static_assert(QmlTaskState::Cancelled == 4 && QmlTaskKind::Group == 3 && QmlCancelOutcome::TimedOut == 4,
              "The QML mirrors of the qtm enums must list every value of the core's enums, in the same order.");

} // namespace qtm::quick
