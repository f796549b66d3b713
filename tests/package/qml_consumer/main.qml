// A pure-QML application of the installed module: run by a host that does not link QtTaskManager, with
// the prefix's QML directory on its import path. It exits with 0 when the module's types work.
import QtQuick
import QtTaskManager

QtObject {
    id: root

    property TaskManager manager: TaskManager {}
    property TaskListModel tasks: TaskListModel {
        manager: root.manager
    }
    property TaskFilterModel running: TaskFilterModel {
        sourceModel: root.tasks
        states: [TaskState.Running]
    }

    Component.onCompleted: {
        const ok = tasks.manager === manager && tasks.count === 0 && running.count === 0
            && TaskState.Cancelled === 4 && CancelOutcome.TimedOut === 4;
        console.info("import QtTaskManager:", ok ? "works" : "types misbehave");
        Qt.exit(ok ? 0 : 3);
    }
}
