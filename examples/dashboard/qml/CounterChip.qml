import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// A status-bar counter: a coloured dot, a number and what it counts.
RowLayout {
    id: chip

    property string label
    property int value
    property color dotColor: "#80868b"

    spacing: 6

    Rectangle {
        implicitWidth: 10
        implicitHeight: 10
        radius: 5
        color: chip.dotColor
    }
    Label {
        text: chip.value.toLocaleString(Qt.locale(), "f", 0)
        color: "white"
        font.bold: true
        font.pixelSize: 15
    }
    Label {
        text: chip.label
        color: "#c5cae9"
        font.pixelSize: 13
    }
}
