#pragma once

#include <qtm/qtm_export.h>

#include <QtCore/QLoggingCategory>

/*!
 * \namespace qtm
 * QtTaskManager: one place in a Qt application that creates, tracks, cancels and reports every
 * asynchronous task it runs. Start with qtm::TaskManager.
 */
namespace qtm {
//! The logging category of the library: failures, cancellation time-outs and dangling tasks are
//! reported here by task name ("qtm.tasks"). In the library's namespace, so that it cannot clash with
//! an application's own category of the same name.
QTM_EXPORT Q_DECLARE_LOGGING_CATEGORY(lcTasks)
} // namespace qtm
