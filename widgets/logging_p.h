#pragma once

#include <QtCore/QLoggingCategory>

// The Widgets component's warnings: misuse that it refuses rather than acting on ("qtm.widgets").
Q_DECLARE_LOGGING_CATEGORY(lcWidgets)
