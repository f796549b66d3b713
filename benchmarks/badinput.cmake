# qtm-bench refuses bad options with a message naming the problem and a non-zero exit status, before
# measuring anything.
# Usage: cmake -DBENCH=<qtm-bench> -P badinput.cmake

# Each case: the options (separated by spaces), then the text the error message must contain.
set(cases
    "--variant=bogus --count=10" "unknown variant 'bogus'"
    "--variant=coro" "--variant=coro needs --count=N with N > 0"
    "--variant=coro-pending --count=10" "--variant=coro-pending needs --pending=N with N > 0"
    "--variant=pool --count=10 --pool-threads=0" "--pool-threads must be a positive number"
    "--json --pool-threads=none" "--pool-threads must be a positive number, not 'none'"
    "--json --callgrind-tasks=0" "--callgrind-tasks must be a positive number, not '0'")
set(problems "")
list(LENGTH cases length)
math(EXPR last "${length} - 1")
foreach(index RANGE 0 ${last} 2)
    math(EXPR message_index "${index} + 1")
    list(GET cases ${index} shown)
    list(GET cases ${message_index} expected)
    separate_arguments(options UNIX_COMMAND "${shown}")
    execute_process(COMMAND "${BENCH}" ${options}
        OUTPUT_VARIABLE output ERROR_VARIABLE errors RESULT_VARIABLE result TIMEOUT 60)
    string(FIND "${errors}" "${expected}" found)
    if(result EQUAL 0 OR found EQUAL -1)
        list(APPEND problems "qtm-bench ${shown}: exit '${result}', stderr '${errors}' (expected a failure saying '${expected}')")
    endif()
endforeach()
if(problems)
    string(REPLACE ";" "\n" problems "${problems}")
    message(FATAL_ERROR "${problems}")
endif()
