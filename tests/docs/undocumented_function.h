#pragma once

// A fixture for api_reference_rejects_undocumented, never compiled: a public header as the library writes
// them (export macro, Q_OBJECT, Q_SIGNALS) in which one public function has no documentation. Doxygen, with
// the API reference's settings, must reject it and name that function, and nothing else.

#include <qtm/qtmglobal.h>

#include <QtCore/QObject>

namespace qtm {

//! A class whose members are all documented but one.
class QTM_EXPORT DocsFixture : public QObject
{
    Q_OBJECT

public:
    //! Documented: no warning about it.
    void documentedFunction();

    void undocumentedFunction();

Q_SIGNALS:
    //! Documented: no warning about it.
    void documentedSignal();
};

} // namespace qtm
