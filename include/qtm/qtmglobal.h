#pragma once

#include <qtm/qtm_export.h>

#include <QtCore/QLoggingCategory>

//! The logging category of the library: failures, cancellation time-outs and dangling tasks are
//! reported here by task name ("qtm.tasks").
QTM_EXPORT Q_DECLARE_LOGGING_CATEGORY(lcTasks)
