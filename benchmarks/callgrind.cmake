# Runs qtm-bench's instruction counts alone on a tiny run and checks that each variant's count is there:
# valgrind ran the variant, its measured region (and only that) was counted, and the totals were read.
# Usage: cmake -DBENCH=<qtm-bench> -DOUTPUT=<file> [-DARGUMENTS=<more qtm-bench options>] -P callgrind.cmake
# The asyncio counts may be null (no python3), with a note that says so.

set(ours
    coro_floor_instructions coro_lifecycle_instructions coro_awaits_lifecycle_instructions await_instructions
    pool_floor_instructions pool_lifecycle_instructions
    throw_floor_instructions cancel_all_instructions_per_task
    scaling_low_pending_instructions scaling_high_pending_instructions
    coro_overhead_instructions_ratio pool_overhead_instructions_ratio cancel_vs_throw_floor_instructions_ratio
    scaling_instructions_ratio)
set(asyncio asyncio_lifecycle_instructions asyncio_cancel_instructions_per_task)

execute_process(COMMAND "${BENCH}" --quick --json --only=callgrind --callgrind --callgrind-tasks=100 ${ARGUMENTS}
    OUTPUT_FILE "${OUTPUT}" ERROR_VARIABLE errors RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "qtm-bench --only=callgrind exited with '${result}':\n${errors}")
endif()
file(READ "${OUTPUT}" json)
set(problems "")
foreach(key IN LISTS ours)
    string(JSON value ERROR_VARIABLE problem GET "${json}" ${key})
    string(JSON type ERROR_VARIABLE problem TYPE "${json}" ${key})
    if(problem OR NOT type STREQUAL "NUMBER" OR NOT value GREATER 0)
        list(APPEND problems "${key} is '${value}', not a positive number")
    endif()
endforeach()
foreach(key IN LISTS asyncio)
    string(JSON type ERROR_VARIABLE problem TYPE "${json}" ${key})
    string(JSON notes GET "${json}" notes)
    if(problem OR NOT (type STREQUAL "NUMBER" OR (type STREQUAL "NULL" AND notes MATCHES "asyncio")))
        list(APPEND problems "${key} is neither a number nor null with a note")
    endif()
endforeach()
# The region counted is the measurement itself: it encloses every instruction counted, so the function
# that measures is the first of the inclusive profile.
string(JSON measuring ERROR_VARIABLE problem GET "${json}" callgrind_profiles coro 0 function)
if(problem OR NOT measuring MATCHES "coroLifecycleNs")
    list(APPEND problems "the coro profile starts at '${measuring}', not at the measuring function coroLifecycleNs")
endif()
if(problems)
    message(FATAL_ERROR "qtm-bench's instruction counts are incomplete:\n${problems}\n${json}\n${errors}")
endif()
message(STATUS "callgrind counted every variant (${errors})")
