#pragma once

// A fixture for api_reference_rejects_undocumented_enumerator, never compiled: a public header in which one
// enumerator has no documentation. Doxygen lets that pass; the docs target's enumerator check must reject it
// and name it, and nothing else.

#include <qtm/qtmglobal.h>

#include <QtCore/QObject>

namespace qtm {
Q_NAMESPACE_EXPORT(QTM_EXPORT)

//! An enum whose enumerators are all documented but one.
enum class DocsFixtureMode
{
    Documented, //!< Documented: no warning about it.
    Undocumented,
};
Q_ENUM_NS(DocsFixtureMode)

} // namespace qtm
