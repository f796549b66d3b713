// Qt alone, correct by Qt's contract: a thread reports a result through its QPromise<int> (QFutureInterface<int>::
// reportResult, inline, locks the future's mutex through Qt's annotated inline QMutex code, so TSan records an
// atomic read of the mutex at the start of the shared state), drops its reference and says so through a
// QSemaphore (Qt's, out of TSan's sight). The main thread then drops the last reference, a plain
// QFutureInterfaceBase inside an object of ours. ~QFutureInterfaceBase is Qt's, but it ends with a tail jump to
// operator delete, so the interceptor sees our code as the caller and checks the free. What orders that free
// after the lock is the reference count of the shared state, inside libQt6Core, so ThreadSanitizer reports the
// free against QtTsan::mutexPostLock.
#include <QtCore/QFuture>
#include <QtCore/QFutureInterface>
#include <QtCore/QPromise>
#include <QtCore/QSemaphore>

#include <memory>
#include <thread>

namespace {

//! Holds a future untyped, as an adopted task's source does: no typed reference, so no inline result clear.
struct Watcher
{
    QFutureInterfaceBase source;
};

} // namespace

int main()
{
    for (int i = 0; i < 1000; ++i) {
        QSemaphore dropped;
        QPromise<int> promise;
        promise.start();
        auto watcher = std::make_unique<Watcher>(Watcher{QFutureInterfaceBase::get(promise.future())});
        std::thread producer([promise = std::move(promise), &dropped, i]() mutable {
            promise.addResult(i);
            promise.finish();
            {
                // Dropped here, not with the closure after the release: the watcher must hold the last reference.
                QPromise<int> last(std::move(promise));
            }
            dropped.release();
        });
        dropped.acquire();
        watcher.reset(); // the last reference: frees the shared state whose mutex the producer locked
        producer.join();
    }
    return 0;
}
