import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// A button that starts one kind of work, with a line saying what it does.
ColumnLayout {
    id: action

    property alias text: button.text
    property string detail
    signal triggered()

    spacing: 0
    Layout.fillWidth: true

    Button {
        id: button
        objectName: action.objectName + "Button"
        Layout.fillWidth: true
        highlighted: true
        onClicked: action.triggered()
    }
    Label {
        Layout.fillWidth: true
        Layout.leftMargin: 4
        Layout.bottomMargin: 6
        text: action.detail
        wrapMode: Text.WordWrap
        color: "#5f6368"
        font.pixelSize: 12
    }
}
