#pragma once

// qtm::TaskListModel needs Qt Core only and lives in the core library, so that the Widgets component shares
// it without Qt Qml; the QML module registers it as the type TaskListModel (see qmltypes_p.h).
#include <qtm/tasklistmodel.h>
