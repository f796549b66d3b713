// A QML application that links no QtTaskManager library: it loads one QML file and finds every module,
// QtTaskManager included, on the engine's import path (QML_IMPORT_PATH and Qt's own QML directory).
// Exits with the code the QML passes to Qt.exit(), or 2 if the file does not load or never exits.
#include <QtCore/QTimer>
#include <QtGui/QGuiApplication>
#include <QtQml/QQmlComponent>
#include <QtQml/QQmlEngine>

#include <cstdio>
#include <memory>

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s file.qml\n", argv[0]);
        return 2;
    }
    QQmlEngine engine;
    // Queued: the QML may call Qt.exit() while it is being created, before the event loop runs.
    QObject::connect(&engine, &QQmlEngine::exit, &app, &QCoreApplication::exit, Qt::QueuedConnection);
    QObject::connect(&engine, &QQmlEngine::quit, &app, &QCoreApplication::quit, Qt::QueuedConnection);

    QQmlComponent component(&engine, QUrl::fromLocalFile(QString::fromLocal8Bit(argv[1])));
    const std::unique_ptr<QObject> root(component.create());
    if (!root) {
        std::fprintf(stderr, "%s\n", qPrintable(component.errorString()));
        return 2;
    }
    QTimer::singleShot(std::chrono::seconds(60), &app, [] {
        std::fprintf(stderr, "the QML did not call Qt.exit() within 60 s\n");
        QCoreApplication::exit(2);
    });
    return QCoreApplication::exec();
}
