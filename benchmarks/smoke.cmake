# Runs `qtm-bench --quick --json` and checks that it printed one JSON object with every figure's key.
# Usage: cmake -DBENCH=<qtm-bench> -DOUTPUT=<file> [-DARGUMENTS=<more qtm-bench options>] -P smoke.cmake
# Figures may be null (a baseline that is not installed, or the instruction counts, which the quick run
# skips) but every key must be there, and each figure measured over several runs must list one value per
# run.

set(figures
    coro_lifecycle_ns coro_floor_ns coro_overhead_ratio
    asyncio_lifecycle_ns speedup_vs_asyncio
    pool_lifecycle_ns pool_floor_ns pool_overhead_ratio
    bytes_per_pending_task qpromise_bytes
    scaling_ratio
    cancel_all_ns_per_task asyncio_cancel_ns_per_task throw_floor_ns cancel_speedup_vs_asyncio
    snapshot_ms_1m cancel_latency_us
    gui_max_stall_ms model_updates_per_s
    qcoro_lifecycle_ns coro_vs_qcoro_ratio
    coro_floor_instructions coro_lifecycle_instructions qcoro_lifecycle_instructions
    asyncio_lifecycle_instructions pool_floor_instructions pool_lifecycle_instructions
    throw_floor_instructions cancel_all_instructions_per_task asyncio_cancel_instructions_per_task
    coro_overhead_instructions_ratio coro_vs_qcoro_instructions_ratio speedup_vs_asyncio_instructions_ratio
    pool_overhead_instructions_ratio cancel_vs_throw_floor_instructions_ratio
    cancel_speedup_vs_asyncio_instructions_ratio callgrind_profiles
    scaling_low_pending_instructions scaling_high_pending_instructions scaling_instructions_ratio
    goals heap_layout
    qt_version compiler build_type mode counts)
# Figures taken in every run of the lifecycles: each has <key>_runs (one value per run) and <key>_spread.
set(per_run coro_floor_ns coro_lifecycle_ns coro_overhead_ratio pool_floor_ns pool_lifecycle_ns pool_overhead_ratio)

execute_process(COMMAND "${BENCH}" --quick --json ${ARGUMENTS}
    OUTPUT_FILE "${OUTPUT}" ERROR_VARIABLE errors RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "qtm-bench --quick --json exited with '${result}':\n${errors}")
endif()
file(READ "${OUTPUT}" json)
string(JSON type ERROR_VARIABLE problem TYPE "${json}")
if(problem OR NOT type STREQUAL "OBJECT")
    message(FATAL_ERROR "qtm-bench did not print one JSON object (${problem}):\n${json}")
endif()
set(missing "")
foreach(key IN LISTS figures)
    string(JSON value ERROR_VARIABLE problem TYPE "${json}" ${key})
    if(problem)
        list(APPEND missing ${key})
    endif()
endforeach()
string(JSON repetitions GET "${json}" counts repetitions)
foreach(key IN LISTS per_run)
    string(JSON runs ERROR_VARIABLE problem LENGTH "${json}" ${key}_runs)
    string(JSON spread ERROR_VARIABLE spread_problem TYPE "${json}" ${key}_spread)
    if(problem OR spread_problem OR NOT runs EQUAL repetitions)
        list(APPEND missing "${key}_runs (${repetitions} values) and ${key}_spread")
    endif()
endforeach()
if(missing)
    message(FATAL_ERROR "qtm-bench's JSON lacks: ${missing}\n${json}")
endif()
string(JSON mode GET "${json}" mode)
if(NOT mode STREQUAL "quick")
    message(FATAL_ERROR "qtm-bench --quick reported mode '${mode}'")
endif()
message(STATUS "qtm-bench printed every key (${errors})")
