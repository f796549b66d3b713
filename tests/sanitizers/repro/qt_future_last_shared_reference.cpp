// Qt alone, correct by Qt's contract: a thread fails a QFutureInterface<int> (reportException clears its
// typed result store, inline, so instrumented) and drops its reference; the main thread waits for the future
// and drops the last reference, an untyped QFuture<void>, which frees the shared state. What orders that
// free after the thread's use is the reference count of the shared state, inside libQt6Core, so
// ThreadSanitizer reports the free in ~QFuture against the thread's access.
#include <QtCore/QFuture>
#include <QtCore/QFutureInterface>

#include <memory>
#include <stdexcept>
#include <thread>

int main()
{
    const std::exception_ptr error = std::make_exception_ptr(std::runtime_error("failed"));
    for (int i = 0; i < 2000; ++i) {
        QFutureInterface<int> producer;
        producer.reportStarted();
        auto watched = std::make_unique<QFuture<void>>(producer.future());
        std::thread writer([producer = std::move(producer), error]() mutable {
            producer.reportException(error);
            producer.reportFinished();
        });
        try {
            watched->waitForFinished();
        } catch (const std::runtime_error &) { }
        watched.reset(); // often the last reference: the writer's closure has usually gone already
        writer.join();
    }
    return 0;
}
