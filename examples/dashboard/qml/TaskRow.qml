import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtTaskManager

// One task in the list: state, name and kind, what a coroutine waits on, progress, error text, elapsed time
// and a cancel button.
// Its colours come from the system palette; the current row (keyboard navigation) has a highlight frame.
Rectangle {
    id: row

    required property var model
    required property int index
    readonly property var taskId: model.id
    readonly property string taskName: model.name
    readonly property int taskState: model.state
    readonly property bool finished: model.finished
    readonly property bool failed: taskState === TaskState.Failed
    readonly property bool current: ListView.isCurrentItem
    // The error of a failed task, why a pending one waits ("waiting for a slot in group 'thumbnails': 4 of 4
    // running"), or the progress text.
    readonly property string detail: failed ? model.errorText
                                            : taskState === TaskState.Pending && model.pendingReason.length > 0
                                              ? model.pendingReason : model.progressText
    readonly property bool dark: systemPalette.base.hslLightness < 0.5

    signal cancelClicked(var taskId)
    //! A group's row: its children are to be hidden (\a collapsed) or shown again.
    signal collapseToggled(var taskId, bool collapsed)

    readonly property bool isGroup: model.kind === TaskKind.Group
    property bool collapsed: false
    Component.onCompleted: {
        // A recycled or recreated row shows the state its group has in the filter model.
        if (isGroup && ListView.view && ListView.view.model.isGroupCollapsed)
            collapsed = ListView.view.model.isGroupCollapsed(taskId)
    }

    //! Makes this row the list's current one, with the keyboard focus.
    function choose() {
        row.ListView.view.currentIndex = row.index
        row.forceActiveFocus()
    }

    function formatElapsed(ms) {
        if (ms < 1000)
            return qsTr("%1 ms").arg(ms)
        if (ms < 60000)
            return qsTr("%1 s").arg(Number(ms / 1000).toLocaleString(Qt.locale(), "f", 1))
        const seconds = Math.floor(ms / 1000)
        return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0")
    }

    //! A group's policy, as the row tells it (qtm::GroupPolicy's order).
    function policyName(policy) {
        return [qsTr("fail fast"), qsTr("continue on error"), qsTr("first success"), qsTr("all settled")][policy] || ""
    }

    //! What the row says after the kind: a group's policy and limit, a retried task's attempt, a deadline.
    function facts() {
        let text = ""
        if (isGroup) {
            text += "  ·  " + policyName(model.groupPolicy)
            if (model.groupMaxConcurrent > 0)
                text += "  ·  " + qsTr("%1 at a time").arg(model.groupMaxConcurrent)
        }
        if (model.maxAttempts > 1)
            text += "  ·  " + qsTr("attempt %1 of %2").arg(model.attempt).arg(model.maxAttempts)
        if (!finished && model.deadline && !isNaN(model.deadline.getTime()))
            text += "  ·  " + qsTr("deadline %1").arg(Qt.formatTime(model.deadline, "hh:mm:ss"))
        return text
    }

    function kindName(kind) {
        switch (kind) {
        case TaskKind.Coroutine: return qsTr("coroutine")
        case TaskKind.ThreadPool: return qsTr("thread pool")
        case TaskKind.Future: return qsTr("future")
        case TaskKind.Group: return qsTr("group")
        }
        return ""
    }

    function secondary(alpha) {
        return Qt.rgba(systemPalette.text.r, systemPalette.text.g, systemPalette.text.b, alpha)
    }

    objectName: "taskRow"
    implicitHeight: 76
    radius: 8
    color: failed ? Qt.tint(systemPalette.base, dark ? "#30d93025" : "#18d93025") : systemPalette.base
    border.color: current ? systemPalette.highlight : failed ? "#e06055" : secondary(0.15)
    border.width: current ? 2 : 1

    // What a screen reader says for the row: "thumbnail-12, Running, 40 %".
    Accessible.role: Accessible.ListItem
    Accessible.name: detail.length > 0 ? qsTr("%1, %2, %3").arg(taskName).arg(badge.text).arg(detail)
                                       : qsTr("%1, %2").arg(taskName).arg(badge.text)

    SystemPalette {
        id: systemPalette
    }

    TapHandler {
        onTapped: row.choose()
    }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 16 + 44 * row.model.groupDepth // a group's children under it, indented
        anchors.rightMargin: 12
        spacing: 16

        StateBadge {
            id: badge
            objectName: "stateBadge"
            taskState: row.taskState
            cancelling: row.model.cancelRequested
        }

        ColumnLayout {
            Layout.fillWidth: true
            spacing: 4

            RowLayout {
                spacing: 8
                ToolButton {
                    objectName: "collapseButton"
                    visible: row.isGroup
                    text: row.collapsed ? "\u25B8" : "\u25BE" // ▸ collapsed, ▾ expanded
                    padding: 0
                    implicitHeight: 20
                    implicitWidth: 20
                    onClicked: {
                        row.collapsed = !row.collapsed
                        row.collapseToggled(row.taskId, row.collapsed)
                    }
                    Accessible.name: row.collapsed ? qsTr("Show the tasks of %1").arg(row.taskName)
                                                   : qsTr("Hide the tasks of %1").arg(row.taskName)
                }
                Label {
                    text: row.taskName
                    color: systemPalette.text
                    font.bold: true
                    font.pixelSize: 14
                    elide: Text.ElideRight
                    Layout.maximumWidth: 360
                    Accessible.ignored: true
                }
                Label {
                    objectName: "kindText"
                    text: row.kindName(row.model.kind) + "  ·  #" + row.taskId + row.facts()
                    color: row.secondary(0.6)
                    font.pixelSize: 12
                    Accessible.ignored: true
                }
            }
            ProgressBar {
                Layout.fillWidth: true
                from: 0
                to: 1
                value: row.model.progress
                indeterminate: row.taskState === TaskState.Running
                               && row.model.progressMaximum === row.model.progressMinimum
                visible: !row.finished || row.model.progressMaximum > row.model.progressMinimum
                Accessible.name: qsTr("Progress of %1").arg(row.taskName)
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: 12
                Label {
                    objectName: "detailText"
                    Layout.fillWidth: !awaitingText.visible
                    Layout.maximumWidth: awaitingText.visible ? 220 : -1
                    text: row.detail
                    color: row.failed ? (row.dark ? "#f28b82" : "#c5221f") : row.secondary(0.7)
                    font.pixelSize: 12
                    elide: Text.ElideRight
                    Accessible.ignored: true
                }
                // What a suspended coroutine waits on and where (the model's awaiting role: "waiting on
                // sleep 700 ms at workload.cpp:101"), refreshed with the elapsed time.
                Label {
                    id: awaitingText
                    objectName: "awaitingText"
                    text: row.model.awaiting
                    visible: text.length > 0
                    color: row.secondary(0.55)
                    font.pixelSize: 11
                    font.family: "monospace"
                    horizontalAlignment: Text.AlignRight
                    elide: Text.ElideMiddle
                    Layout.fillWidth: true
                    Accessible.name: qsTr("Waiting on")
                    Accessible.description: text
                }
            }
        }

        ColumnLayout {
            spacing: 2
            Layout.preferredWidth: 88

            Label {
                text: row.taskState === TaskState.Pending ? "—" : row.formatElapsed(row.model.elapsed)
                font.pixelSize: 13
                font.family: "monospace"
                color: row.secondary(0.8)
                horizontalAlignment: Text.AlignRight
                Layout.fillWidth: true
                Accessible.name: qsTr("Elapsed time")
                Accessible.description: text
            }
            // The time the rest takes at the task's average rate so far (the model's timeLeft role).
            Label {
                objectName: "timeLeftText"
                visible: row.taskState === TaskState.Running && row.model.timeLeft >= 0
                text: qsTr("%1 left").arg(row.formatElapsed(row.model.timeLeft))
                font.pixelSize: 11
                color: row.secondary(0.6)
                horizontalAlignment: Text.AlignRight
                Layout.fillWidth: true
                Accessible.name: qsTr("Time left")
                Accessible.description: text
            }
        }

        Button {
            objectName: "cancelButton"
            text: qsTr("Cancel")
            flat: true
            enabled: row.model.cancellable && !row.model.cancelRequested
            opacity: row.finished ? 0 : 1
            // From the keyboard a row's task is cancelled with Delete on the current row: Tab does not stop at
            // every row's button (hundreds, with a long history), and a click hands the focus back to the list.
            activeFocusOnTab: false
            Layout.preferredWidth: 92
            Accessible.role: Accessible.Button
            Accessible.name: qsTr("Cancel %1").arg(row.taskName)
            onClicked: {
                row.choose()
                row.cancelClicked(row.taskId)
            }
        }
    }
}
