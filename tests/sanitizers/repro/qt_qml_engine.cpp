// Qt alone: a QML engine creates an object from inline QML. The engine's type loader and its helpers hand
// memory between their threads inside libQt6Qml, uninstrumented: ThreadSanitizer sees the allocation in one
// thread and the deletion in another, not the synchronisation that orders them.
#include <QtCore/QCoreApplication>
#include <QtQml/QQmlComponent>
#include <QtQml/QQmlEngine>

#include <memory>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QQmlEngine engine;
    QQmlComponent component(&engine);
    component.setData("import QtQml\nQtObject { property int answer: 42 }", QUrl());
    std::unique_ptr<QObject> object(component.create());
    return object && object->property("answer").toInt() == 42 ? 0 : 1;
}
