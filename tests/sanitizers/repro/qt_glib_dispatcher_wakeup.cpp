// Qt alone: the main thread queues calls to an object living in a QThread with its own event loop. The
// thread's glib event dispatcher creates its wake-up eventfd inside glib; the main thread's wake-ups write to
// it from inside glib too. ThreadSanitizer intercepts eventfd() and write() but sees none of the locking
// around them (in Qt and glib, both uninstrumented), and reports the write against the creation.
#include <QtCore/QCoreApplication>
#include <QtCore/QEvent>
#include <QtCore/QObject>
#include <QtCore/QThread>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    for (int round = 0; round < 50; ++round) { // each thread makes a dispatcher, and an eventfd, of its own
        QThread thread;
        QObject worker;
        worker.moveToThread(&thread);
        thread.start();
        for (int i = 0; i < 200; ++i)
            QCoreApplication::postEvent(&worker, new QEvent(QEvent::User)); // wakes the thread's dispatcher
        thread.quit();
        thread.wait();
        worker.moveToThread(app.thread());
    }
    return 0;
}
