import QtQuick
import QtQuick.Controls
import QtTaskManager

// A coloured pill naming a task's state: the text says the state, the colour only repeats it.
Rectangle {
    id: badge

    property int taskState: TaskState.Pending
    property bool cancelling: false
    readonly property bool ended: taskState === TaskState.Succeeded || taskState === TaskState.Failed
                                  || taskState === TaskState.Cancelled
    readonly property string text: {
        if (cancelling && !ended)
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

    implicitWidth: Math.max(96, label.implicitWidth + 20)
    implicitHeight: 26
    radius: height / 2
    color: cancelling && !ended ? "#b06000" : colorFor(taskState)
    Accessible.role: Accessible.StaticText
    Accessible.name: text

    Label {
        id: label
        anchors.centerIn: parent
        text: badge.text
        color: "white"
        font.pixelSize: 12
        font.bold: true
        Accessible.ignored: true
    }
}
