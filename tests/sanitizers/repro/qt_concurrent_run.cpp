// Qt alone: QtConcurrent::run on a pool whose thread already exists. The task object is a template, so it
// is allocated, run and deleted by code compiled into this (instrumented) binary, but handed to the pool
// thread through QThreadPool's queue inside libQt6Core: ThreadSanitizer sees the allocation in the main
// thread and the run (RunFunctionTaskBase<T>::run) and the deletion (~StoredFunctionCall) in the pool
// thread, not the lock that orders them.
#include <QtConcurrent/QtConcurrentRun>
#include <QtCore/QFuture>

#include <string>

int main()
{
    // The first run starts the pool's thread; the next ones are handed to it. The captured string's buffer
    // is allocated here and freed with the task object in the pool thread.
    for (int i = 0; i < 2000; ++i) {
        std::string text(64, char('a' + i % 26));
        QtConcurrent::run([i, text] { return i + int(text.size()); }).waitForFinished();
    }
    return 0;
}
