import QtQuick
import QtTest
import QtTaskManager

// The QML types as a dashboard uses them: rows and roles through a Repeater's delegates, the filter, the
// counters, cancelling from QML, and coalescing of many changes into one batch.
TestCase {
    id: testCase
    name: "TaskListModel"

    readonly property int patience: 20000 // generous bounds: never depend on the machine being fast

    TaskListModel {
        id: tasks
        manager: taskManager
    }

    TaskFilterModel {
        id: running
        sourceModel: tasks
        states: [TaskState.Running]
    }

    TaskFilterModel {
        id: byName
        sourceModel: tasks
    }

    Repeater {
        id: rows
        model: tasks
        delegate: Item {
            required property var model
            readonly property var taskId: model.id
            readonly property string taskName: model.name
            readonly property int taskKind: model.kind
            readonly property int taskState: model.state
            readonly property string stateText: model.stateText
            readonly property real progress: model.progress
            readonly property int progressValue: model.progressValue
            readonly property int progressMaximum: model.progressMaximum
            readonly property string progressText: model.progressText
            readonly property string errorText: model.errorText
            readonly property var createdAt: model.createdAt
            readonly property var startedAt: model.startedAt
            readonly property var finishedAt: model.finishedAt
            readonly property real elapsed: model.elapsed
            readonly property bool cancellable: model.cancellable
        }
    }

    SignalSpy {
        id: insertions
        target: tasks
        signalName: "rowsInserted"
    }

    SignalSpy {
        id: batches
        target: tasks
        signalName: "statisticsChanged"
    }

    SignalSpy {
        id: cancellations
        target: tasks
        signalName: "cancelFinished"
    }

    function rowItem(id) {
        return rows.itemAt(tasks.rowOf(id))
    }

    function init() {
        tasks.updateInterval = 16
        tasks.cancelAll()
        tryCompare(tasks, "runningCount", 0, patience)
        tryCompare(tasks, "pendingCount", 0, patience)
        tasks.clearFinished()
        tasks.resetCounters()
        compare(tasks.count, 0)
        insertions.clear()
        batches.clear()
        cancellations.clear()
    }

    function test_rowFollowsATaskThroughItsLife() {
        const id = driver.start("resize images")
        tryCompare(tasks, "count", 1, patience)
        const item = rowItem(id)
        verify(item)
        compare(item.taskId, id)
        compare(item.taskName, "resize images")
        compare(item.taskKind, TaskKind.Coroutine)
        verify(!isNaN(item.createdAt.getTime()))
        verify(item.cancellable)

        tryCompare(item, "taskState", TaskState.Running, patience)
        compare(item.stateText, "Running")
        compare(tasks.runningCount, 1)

        driver.progress(id, 3, 4, "3 of 4 images")
        tryCompare(item, "progress", 0.75, patience)
        compare(item.progressValue, 3)
        compare(item.progressMaximum, 4)
        compare(item.progressText, "3 of 4 images")

        driver.succeed(id)
        tryCompare(item, "taskState", TaskState.Succeeded, patience)
        verify(!isNaN(item.finishedAt.getTime()))
        verify(item.elapsed >= 0)
        verify(!item.cancellable)
        compare(tasks.succeededCount, 1)
        compare(tasks.runningCount, 0)
    }

    function test_failedTaskShowsItsError() {
        const id = driver.start("upload")
        driver.fail(id, "server said 503")
        tryCompare(tasks, "failedCount", 1, patience)
        const item = rowItem(id)
        compare(item.taskState, TaskState.Failed)
        compare(item.errorText, "server said 503")
    }

    function test_countersAndFilters() {
        const fetchA = driver.start("fetch a")
        const fetchB = driver.start("fetch b")
        const render = driver.start("render")
        const parse = driver.start("parse")
        tryCompare(tasks, "runningCount", 4, patience)
        compare(running.count, 4)

        driver.succeed(fetchB)
        driver.fail(parse, "bad header")
        tryCompare(tasks, "runningCount", 2, patience)
        compare(tasks.succeededCount, 1)
        compare(tasks.failedCount, 1)
        compare(tasks.cancelledCount, 0)
        compare(tasks.finishedCount, 2)
        compare(running.count, 2)

        byName.nameFilter = "FETCH"
        compare(byName.count, 2)
        byName.states = [TaskState.Succeeded, TaskState.Failed]
        compare(byName.count, 1)
        byName.nameFilter = ""
        compare(byName.count, 2)
        byName.states = []
        compare(byName.count, 4)

        running.nameFilter = "render"
        compare(running.count, 1)
        running.nameFilter = ""
        verify(fetchA !== render)
    }

    function test_cancelFromQmlReachesTheTask() {
        const id = driver.start("long poll")
        tryCompare(tasks, "runningCount", 1, patience)
        verify(tasks.cancel(id, 5000))
        cancellations.wait(patience)
        compare(cancellations.signalArguments[0][0], id)
        compare(cancellations.signalArguments[0][1], CancelOutcome.Cancelled)
        compare(driver.stateOf(id), TaskState.Cancelled)
        tryCompare(rowItem(id), "taskState", TaskState.Cancelled, patience)
        compare(tasks.cancelledCount, 1)
    }

    function test_changesWithinOneIntervalArriveAsOneBatch() {
        // Everything created in one go lands in one insertion.
        let ids = []
        for (let i = 0; i < 25; ++i)
            ids.push(driver.start("burst " + i))
        tryCompare(tasks, "count", 25, patience)
        compare(insertions.count, 1)
        compare(insertions.signalArguments[0][1], 0)
        compare(insertions.signalArguments[0][2], 24)

        // Many changes made while the interval has not elapsed arrive as one batch.
        tasks.updateInterval = 3600 * 1000
        tryCompare(tasks, "runningCount", 25, patience)
        tasks.flush()
        batches.clear()
        for (let i = 0; i < 25; ++i) {
            driver.progress(ids[i], 1, 2)
            if (i % 2)
                driver.succeed(ids[i])
        }
        tryVerify(() => driver.stateOf(ids[23]) === TaskState.Succeeded, patience)
        wait(0)
        compare(batches.count, 0)
        compare(tasks.succeededCount, 0)
        tasks.flush()
        compare(batches.count, 1)
        compare(tasks.succeededCount, 12)
        compare(rowItem(ids[24]).progress, 0.5)
    }
}
