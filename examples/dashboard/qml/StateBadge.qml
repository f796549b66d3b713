import QtQuick
import QtQuick.Controls
import QtTaskManager

// A coloured pill naming a task's state.
Rectangle {
    id: badge

    property int taskState: TaskState.Pending
    property bool cancelling: false
    readonly property string text: {
        if (cancelling && (taskState === TaskState.Running || taskState === TaskState.Pending))
            return qsTr("Cancelling")
        switch (taskState) {
        case TaskState.Pending: return qsTr("Pending")
        case TaskState.Running: return qsTr("Running")
        case TaskState.Succeeded: return qsTr("Succeeded")
        case TaskState.Failed: return qsTr("Failed")
        case TaskState.Cancelled: return qsTr("Cancelled")
        }
        return ""
    }

    function colorFor(state) {
        switch (state) {
        case TaskState.Running: return "#1a73e8"
        case TaskState.Succeeded: return "#188038"
        case TaskState.Failed: return "#d93025"
        case TaskState.Cancelled: return "#e37400"
        }
        return "#80868b"
    }

    implicitWidth: 96
    implicitHeight: 26
    radius: height / 2
    color: cancelling && !(taskState === TaskState.Succeeded || taskState === TaskState.Failed
                           || taskState === TaskState.Cancelled) ? "#b06000" : colorFor(taskState)

    Label {
        anchors.centerIn: parent
        text: badge.text
        color: "white"
        font.pixelSize: 12
        font.bold: true
    }
}
