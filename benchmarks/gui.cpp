// gui_max_stall_ms and model_updates_per_s: the event loop under a steady stream of task lifecycles, with
// and without the QML task model attached.

#include "benchcommon.h"

namespace qtm::bench {

GuiFigures measureGui(int seconds, int ratePerSecond)
{
    Q_UNUSED(seconds);
    Q_UNUSED(ratePerSecond);
    GuiFigures figures;
    figures.note = QStringLiteral("gui_max_stall_ms, model_updates_per_s: the QML task model (QtTaskManagerQuick) "
                                  "was not built; not measured");
    return figures;
}

} // namespace qtm::bench
