// Qt alone: a Qt Test program with one empty test. QTest::qRun() starts a watchdog thread that waits on a
// condition variable, and destroys it at the end: both inside libQt6Test, whose own synchronisation
// ThreadSanitizer does not see, so it reports the destruction against the watchdog's wait.
#include <QtTest>

class tst_Watchdog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nothing() { }
};

QTEST_APPLESS_MAIN(tst_Watchdog)
#include "qt_test_watchdog.moc"
