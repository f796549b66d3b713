import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// A status-bar counter: a coloured dot, a number and what it counts. The dot only decorates: the label
// names the state, so no state is told by its colour alone.
RowLayout {
    id: chip

    property string label
    property int value
    property color dotColor: "#80868b"
    property color textColor: "white"

    spacing: 6
    Accessible.role: Accessible.StaticText
    Accessible.name: qsTr("%1 %2").arg(value).arg(label)

    Rectangle {
        implicitWidth: 10
        implicitHeight: 10
        radius: 5
        color: chip.dotColor
        border.color: chip.textColor
        border.width: 1
    }
    Label {
        text: chip.value.toLocaleString(Qt.locale(), "f", 0)
        color: chip.textColor
        font.bold: true
        font.pixelSize: 15
        Accessible.ignored: true
    }
    Label {
        text: chip.label
        color: chip.textColor
        opacity: 0.85
        font.pixelSize: 13
        Accessible.ignored: true
    }
}
