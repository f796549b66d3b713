import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtTaskManager

// One task in the list: state, name and kind, progress, error text, elapsed time and a cancel button.
Rectangle {
    id: row

    required property var model
    required property int index
    readonly property var taskId: model.id
    readonly property string taskName: model.name
    readonly property int taskState: model.state
    readonly property bool finished: model.finished
    readonly property bool failed: taskState === TaskState.Failed

    signal cancelClicked(var taskId)

    function formatElapsed(ms) {
        if (ms < 1000)
            return ms + " ms"
        if (ms < 60000)
            return (ms / 1000).toFixed(1) + " s"
        const seconds = Math.floor(ms / 1000)
        return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0")
    }

    function kindName(kind) {
        switch (kind) {
        case TaskKind.Coroutine: return qsTr("coroutine")
        case TaskKind.ThreadPool: return qsTr("thread pool")
        case TaskKind.Future: return qsTr("future")
        }
        return ""
    }

    objectName: "taskRow"
    implicitHeight: 76
    radius: 8
    color: failed ? "#fdf3f2" : "white"
    border.color: failed ? "#f3c5c1" : "#e3e6ec"

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 16
        anchors.rightMargin: 12
        spacing: 16

        StateBadge {
            objectName: "stateBadge"
            taskState: row.taskState
            cancelling: row.model.cancelRequested
        }

        ColumnLayout {
            Layout.fillWidth: true
            spacing: 4

            RowLayout {
                spacing: 8
                Label {
                    text: row.taskName
                    font.bold: true
                    font.pixelSize: 14
                    elide: Text.ElideRight
                    Layout.maximumWidth: 360
                }
                Label {
                    text: row.kindName(row.model.kind) + "  ·  #" + row.taskId
                    color: "#80868b"
                    font.pixelSize: 12
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
            }
            Label {
                objectName: "detailText"
                Layout.fillWidth: true
                text: row.failed ? row.model.errorText : row.model.progressText
                color: row.failed ? "#c5221f" : "#5f6368"
                font.pixelSize: 12
                elide: Text.ElideRight
            }
        }

        Label {
            text: row.taskState === TaskState.Pending ? "—" : row.formatElapsed(row.model.elapsed)
            font.pixelSize: 13
            font.family: "monospace"
            color: "#3c4043"
            horizontalAlignment: Text.AlignRight
            Layout.preferredWidth: 72
        }

        Button {
            objectName: "cancelButton"
            text: qsTr("Cancel")
            flat: true
            enabled: row.model.cancellable && !row.model.cancelRequested
            opacity: row.finished ? 0 : 1
            Layout.preferredWidth: 92
            onClicked: row.cancelClicked(row.taskId)
        }
    }
}
