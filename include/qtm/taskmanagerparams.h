#pragma once

#include <qtm/qtmglobal.h>

QT_BEGIN_NAMESPACE
class QThread;
QT_END_NAMESPACE

namespace qtm {

/*!
 * \deprecated Kept for parity with the original API's TaskManagerParams. Pass the loop to the
 * TaskManager constructor instead.
 */
struct [[deprecated("Use the TaskManager constructor (context, loop) instead")]] TaskManagerParams
{
    //! The thread whose event loop should run the tasks.
    QThread *loop = nullptr;
};

} // namespace qtm
