# Sourced by the API tests: starting `tpt serve` on loopback.
# Needs tpt and work set, and the variable server defined.

# start ARGS...: `tpt serve ARGS` on a free port of our own (tries a few);
# sets server and port
start() {
    for try in 1 2 3 4 5; do
        port=$((20000 + ($$ * 7 + try * 131 + ${salt:-0}) % 20000))
        "$tpt" serve --listen "127.0.0.1:$port" "$@" 2> "$work/server.log" &
        server=$!
        for i in $(seq 50); do
            curl -sf "http://127.0.0.1:$port/api/v1/health" > /dev/null 2>&1 && return 0
            kill -0 "$server" 2>/dev/null || break
            sleep 0.1
        done
        kill "$server" 2>/dev/null
        server=""
    done
}
