// Must not compile: a thread-pool function of a signature the manager cannot call gets one sentence.
#include <qtm/taskmanager.h>

void createsAFunctionTakingAnInt(qtm::TaskManager &manager)
{
    (void)manager.createTask([](int value) { return value; }, QStringLiteral("takes an int"));
}
