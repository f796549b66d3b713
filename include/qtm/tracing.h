#pragma once

#include <qtm/qtmglobal.h>

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <cstddef>

//! Chrome trace event files of every managed task (the JSON that Perfetto and chrome://tracing open).
namespace qtm::tracing {

//! The events kept by default: the newest 65,536; older ones are dropped.
inline constexpr std::size_t defaultCapacity = 65536;

/*!
 * Starts recording, in every manager of the process, into a ring buffer of the newest \a capacity events
 * (at least 16). Setting the environment variable `QTM_TRACE=<file>` before the first manager is created
 * does the same, and writes the file when the process exits (`QTM_TRACE_EVENTS=<n>` sets the capacity).
 * What is recorded, on each task's thread lane: a span per task (an async span from creation to its end,
 * its awaits nested in it), a slice per coroutine step and per thread-pool function run, instant events for
 * cancellation requests, cancel time-outs and failures, and a flow arrow from the step that created a task
 * to its first step. Calling it again clears the buffer. Any thread.
 */
QTM_EXPORT void start(std::size_t capacity = defaultCapacity);
//! Stops recording; what was recorded stays until the next start(). Any thread.
QTM_EXPORT void stop();
//! Whether events are being recorded.
QTM_EXPORT bool isRecording();
//! The events dropped since start() because the buffer was full.
QTM_EXPORT std::size_t droppedEvents();
//! What the buffer holds now, as a Chrome trace event JSON document (`{"traceEvents": [...]}`). Any thread.
QTM_EXPORT QByteArray toJson();
//! Writes toJson() to \a path; false, with \a error set, when the file cannot be written. Any thread.
QTM_EXPORT bool writeTo(const QString &path, QString *error = nullptr);

} // namespace qtm::tracing
