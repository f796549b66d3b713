import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// A button that starts one kind of work, with a line saying what it does (also its accessible description).
ColumnLayout {
    id: action

    property alias text: button.text
    property string detail
    signal triggered()

    spacing: 0
    Layout.fillWidth: true

    SystemPalette {
        id: systemPalette
    }

    Button {
        id: button
        objectName: action.objectName + "Button"
        Layout.fillWidth: true
        highlighted: true
        // The fill is the palette's highlight (Material.accent): the text is the palette's colour for text on
        // it, where the style would always write white.
        contentItem: Label {
            text: button.text
            font: button.font
            color: systemPalette.highlightedText
            horizontalAlignment: Text.AlignHCenter
            verticalAlignment: Text.AlignVCenter
            elide: Text.ElideRight
            Accessible.ignored: true
        }
        Accessible.role: Accessible.Button
        Accessible.name: text
        Accessible.description: action.detail
        onClicked: action.triggered()
    }
    Label {
        Layout.fillWidth: true
        Layout.leftMargin: 4
        Layout.bottomMargin: 6
        text: action.detail
        wrapMode: Text.WordWrap
        color: Qt.rgba(systemPalette.windowText.r, systemPalette.windowText.g, systemPalette.windowText.b, 0.7)
        font.pixelSize: 12
        // The button already tells it as its description.
        Accessible.ignored: true
    }
}
