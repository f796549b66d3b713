import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import QtTaskManager

ApplicationWindow {
    id: window

    // Set from C++ with QQmlApplicationEngine::setInitialProperties() before the window is completed.
    required property BaseTaskManager manager
    required property var workload

    readonly property int cancelTimeoutMs: 1500
    // Light or dark, as the system palette is: every colour below that is not a task state's comes from it.
    readonly property bool dark: systemPalette.window.hslLightness < 0.5
    readonly property color secondaryText: Qt.rgba(systemPalette.windowText.r, systemPalette.windowText.g,
                                                   systemPalette.windowText.b, 0.6)

    width: 1180
    height: 760
    visible: true
    title: qsTr("QtTaskManager Dashboard")
    color: systemPalette.window

    Material.theme: dark ? Material.Dark : Material.Light
    Material.primary: systemPalette.highlight
    Material.accent: systemPalette.highlight
    Material.foreground: systemPalette.windowText

    SystemPalette {
        id: systemPalette
    }

    TaskListModel {
        id: tasks
        objectName: "tasks"
        manager: window.manager
        historyLength: 200
        onCancelFinished: (taskId, outcome) => {
            if (outcome !== CancelOutcome.TimedOut)
                return
            const name = tasks.data(tasks.index(tasks.rowOf(taskId), 0), TaskListModel.NameRole)
            notice.show(qsTr("“%1” ignored the cancellation and was abandoned after %2 s.")
                        .arg(name).arg(window.cancelTimeoutMs / 1000))
        }
    }

    TaskFilterModel {
        id: visibleTasks
        objectName: "visibleTasks"
        sourceModel: tasks
        descending: true // newest first
        nameFilter: search.text
        states: [[], [TaskState.Pending, TaskState.Running], [TaskState.Succeeded], [TaskState.Failed],
            [TaskState.Cancelled]][filterBar.currentIndex]
    }

    header: ToolBar {
        objectName: "headerBar"
        Material.background: systemPalette.highlight
        Material.foreground: systemPalette.highlightedText
        height: 60

        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 20
            anchors.rightMargin: 20
            spacing: 28

            Label {
                objectName: "title"
                text: qsTr("Tasks")
                color: systemPalette.highlightedText
                font.pixelSize: 22
                font.bold: true
            }
            Item {
                Layout.fillWidth: true
            }
            CounterChip {
                objectName: "runningCounter"
                label: qsTr("running")
                value: tasks.runningCount
                dotColor: "#8ab4f8"
                textColor: systemPalette.highlightedText
            }
            CounterChip {
                label: qsTr("pending")
                value: tasks.pendingCount
                dotColor: "#bdc1c6"
                textColor: systemPalette.highlightedText
            }
            CounterChip {
                label: qsTr("succeeded")
                value: tasks.succeededCount
                dotColor: "#81c995"
                textColor: systemPalette.highlightedText
            }
            CounterChip {
                label: qsTr("failed")
                value: tasks.failedCount
                dotColor: "#f28b82"
                textColor: systemPalette.highlightedText
            }
            CounterChip {
                objectName: "cancelledCounter"
                label: qsTr("cancelled")
                value: tasks.cancelledCount
                dotColor: "#fdd663"
                textColor: systemPalette.highlightedText
            }
        }
    }

    RowLayout {
        anchors.fill: parent
        anchors.margins: 16
        spacing: 16

        Pane {
            Layout.preferredWidth: 300
            Layout.fillHeight: true
            Material.elevation: 1
            Material.background: systemPalette.base
            Material.foreground: systemPalette.text
            padding: 16

            ColumnLayout {
                anchors.fill: parent
                spacing: 4

                Label {
                    text: qsTr("Start work")
                    font.pixelSize: 16
                    font.bold: true
                    Layout.bottomMargin: 6
                }
                ActionButton {
                    objectName: "startPrimes"
                    text: qsTr("Count primes")
                    detail: qsTr("Thread pool · sieve to 40 million, cancellable")
                    onTriggered: window.workload.countPrimes()
                }
                ActionButton {
                    objectName: "startHash"
                    text: qsTr("Hash chain")
                    detail: qsTr("Thread pool · 1.5 million SHA-256 rounds")
                    onTriggered: window.workload.hashChain()
                }
                ActionButton {
                    objectName: "startCoroutine"
                    text: qsTr("Fetch and merge")
                    detail: qsTr("Coroutine · awaits timers and a QtConcurrent future")
                    onTriggered: window.workload.fetchAndMerge()
                }
                ActionButton {
                    objectName: "startFailing"
                    text: qsTr("Import broken file")
                    detail: qsTr("Coroutine · fails with a JSON parse error")
                    onTriggered: window.workload.importBrokenFile()
                }
                ActionButton {
                    objectName: "startStubborn"
                    text: qsTr("Legacy export")
                    detail: qsTr("Thread pool · ignores cancellation, abandoned after 1.5 s")
                    onTriggered: window.workload.legacyExport()
                }
                ActionButton {
                    objectName: "startBurst"
                    text: qsTr("Burst of 1000")
                    detail: qsTr("1000 short thread-pool tasks at once")
                    onTriggered: window.workload.burst(1000)
                }

                Item {
                    Layout.fillHeight: true
                }

                RowLayout {
                    Layout.fillWidth: true
                    Button {
                        objectName: "cancelAllButton"
                        Accessible.name: text
                        text: qsTr("Cancel all")
                        Layout.fillWidth: true
                        enabled: tasks.runningCount + tasks.pendingCount > 0
                        onClicked: tasks.cancelAll()
                    }
                    Button {
                        objectName: "clearFinishedButton"
                        Accessible.name: text
                        text: qsTr("Clear finished")
                        Layout.fillWidth: true
                        onClicked: tasks.clearFinished()
                    }
                }
                Label {
                    Layout.fillWidth: true
                    text: qsTr("%1 model updates · worst latency %2 ms")
                          .arg(tasks.updateBatches).arg(tasks.maxUpdateLatency.toFixed(1))
                    color: window.secondaryText
                    font.pixelSize: 11
                    wrapMode: Text.WordWrap
                }
            }
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 12

            RowLayout {
                Layout.fillWidth: true
                spacing: 16

                TabBar {
                    id: filterBar
                    objectName: "filterBar"
                    Layout.fillWidth: true
                    background: null
                    Accessible.name: qsTr("Show tasks")
                    TabButton { text: qsTr("All"); Accessible.name: text }
                    TabButton { text: qsTr("Active"); Accessible.name: text }
                    TabButton { text: qsTr("Succeeded"); Accessible.name: text }
                    TabButton { text: qsTr("Failed"); Accessible.name: text }
                    TabButton { text: qsTr("Cancelled"); Accessible.name: text }
                }
                TextField {
                    id: search
                    objectName: "searchField"
                    placeholderText: qsTr("Filter by name")
                    Accessible.name: qsTr("Filter by name")
                    Layout.preferredWidth: 220
                }
            }

            ListView {
                id: list
                objectName: "taskList"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                spacing: 8
                model: visibleTasks
                ScrollBar.vertical: ScrollBar {}

                // Keyboard: the list has the focus at start and is on the Tab chain; Up and Down move the
                // current row (framed in the highlight colour), Delete cancels the current row's task.
                focus: true
                activeFocusOnTab: true
                keyNavigationEnabled: true
                highlightMoveDuration: 0
                Keys.onDeletePressed: event => {
                    if (currentItem && !currentItem.finished)
                        tasks.cancel(currentItem.taskId, window.cancelTimeoutMs)
                    event.accepted = true
                }
                Accessible.role: Accessible.List
                Accessible.name: qsTr("Task list")
                Accessible.description: qsTr("Up and Down choose a task, Delete cancels it.")

                delegate: TaskRow {
                    width: ListView.view.width
                    onCancelClicked: taskId => tasks.cancel(taskId, window.cancelTimeoutMs)
                    onCollapseToggled: (taskId, collapsed) => visibleTasks.setGroupCollapsed(taskId, collapsed)
                }

                Label {
                    anchors.centerIn: parent
                    visible: list.count === 0
                    text: tasks.count === 0 ? qsTr("No tasks yet. Start some work on the left.")
                                            : qsTr("No task matches the filter.")
                    color: window.secondaryText
                    font.pixelSize: 15
                }
            }
        }
    }

    // A short-lived notice at the bottom of the list, for cancellations that timed out.
    Rectangle {
        id: notice
        objectName: "notice"

        property bool opened: false
        property alias text: noticeText.text

        function show(message) {
            text = message
            opened = true
            hideTimer.restart()
        }

        parent: list
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.bottom
        anchors.bottomMargin: 20
        width: noticeText.implicitWidth + 40
        height: noticeText.implicitHeight + 20
        radius: 6
        // The palette inverted, to stand out from the list in light and dark alike.
        color: systemPalette.windowText
        Accessible.role: Accessible.AlertMessage
        Accessible.name: text
        opacity: opened ? 0.95 : 0
        visible: opacity > 0
        Behavior on opacity { NumberAnimation { duration: 200 } }

        Label {
            id: noticeText
            anchors.centerIn: parent
            color: systemPalette.window
            font.pixelSize: 13
            Accessible.ignored: true
        }
        SequentialAnimation {
            id: hideTimer
            PauseAnimation { duration: 6000 }
            PropertyAction { target: notice; property: "opened"; value: false }
        }
    }
}
