// The check that tells a task's cancellation from its failure, given only the exception it ended with, on
// whichever path this build compiled (see QTM_PORTABLE_EXCEPTION_CHECK).

#include <qtm/cancellederror.h>

#include "exceptiontype_p.h"

#include <QtTest>

#include <exception>
#include <stdexcept>

Q_DECLARE_METATYPE(std::exception_ptr)

namespace {

class MoreSpecificCancellation : public qtm::CancelledError
{
public:
    MoreSpecificCancellation() : CancelledError(QStringLiteral("the window closed")) { }
};

//! The exception as a task hands it over: thrown, then captured in a handler.
template<typename Exception>
std::exception_ptr thrown(Exception exception)
{
    try {
        throw exception;
    } catch (...) {
        return std::current_exception();
    }
}

} // namespace

class tst_CancellationCheck : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void onlyACancelledErrorIsACancellation_data()
    {
        QTest::addColumn<std::exception_ptr>("exception");
        QTest::addColumn<bool>("cancellation");

        QTest::newRow("CancelledError") << thrown(qtm::CancelledError()) << true;
        QTest::newRow("CancelledError from make_exception_ptr")
            << std::make_exception_ptr(qtm::CancelledError()) << true;
        QTest::newRow("a class derived from CancelledError") << thrown(MoreSpecificCancellation()) << true;
        QTest::newRow("std::runtime_error") << thrown(std::runtime_error("disk full")) << false;
        QTest::newRow("an int, not a std::exception") << thrown(42) << false;
        QTest::newRow("a QString, not a std::exception") << thrown(QStringLiteral("cancelled")) << false;
        QTest::newRow("null exception_ptr") << std::exception_ptr() << false;
    }

    void onlyACancelledErrorIsACancellation()
    {
        QFETCH(std::exception_ptr, exception);
        QFETCH(bool, cancellation);

        QCOMPARE(qtm::detail::isCancellation(exception), cancellation);
        // Asking twice gives the same answer: the check neither consumes nor alters the exception.
        QCOMPARE(qtm::detail::isCancellation(exception), cancellation);
    }

    void theBuildTestsThePathItMeansTo()
    {
        const bool withoutRethrow = qtm::detail::isCancellationCheckedWithoutRethrow();
        qInfo("cancellation check: %s",
              withoutRethrow ? "exception type read from the exception_ptr (libstdc++)"
                             : "rethrow and catch (portable)");
#if defined(QTM_EXPECT_CHECK_WITHOUT_RETHROW)
        QCOMPARE(withoutRethrow, bool(QTM_EXPECT_CHECK_WITHOUT_RETHROW));
#else
        QSKIP("this compiler's standard library is not known to the build: either path is correct");
#endif
    }
};

QTEST_GUILESS_MAIN(tst_CancellationCheck)
#include "tst_cancellationcheck.moc"
