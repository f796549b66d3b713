// Qt alone, correct by Qt's contract: a thread reports a result through its QFutureInterface<int> and drops
// its reference; the main thread waits for the future, then drops the last typed reference (a
// QFutureInterface<int> here; a QFuture<int> does the same through ~QFuture) without reading the result.
// ~QFutureInterface<int> (inline, so instrumented) clears the result store; what orders that clear after the write is
// QFutureInterface's typed reference count, an atomic inside libQt6Core, so ThreadSanitizer reports the clear against
// the writer's allocation of the result.
#include <QtCore/QFuture>
#include <QtCore/QFutureInterface>

#include <thread>

int main()
{
    for (int i = 0; i < 2000; ++i) {
        QFutureInterface<int> producer;
        producer.reportStarted();
        auto reader = std::make_unique<QFutureInterface<int>>(producer);
        std::thread writer([producer = std::move(producer), i]() mutable {
            producer.reportResult(i);
            producer.reportFinished();
        });
        reader->waitForFinished();
        reader.reset(); // often the last typed reference: the writer's closure has usually gone already
        writer.join();
    }
    return 0;
}
