# Sourced by the tests that run on either backend of the store. Run as they
# are, a test's databases are SQLite files in its $work; inside
# tests/pg/cluster (TPT_PG_BASE set) each is a PostgreSQL database of its own,
# made when tpt first opens it. Needs $work.

on_postgres() { [ -n "${TPT_PG_BASE:-}" ]; }

# test_db NAME: the address of the test's database NAME
test_db() {
    if on_postgres; then
        printf '%s%s\n' "$TPT_PG_BASE" "$1"
    else
        printf '%s/%s.db\n' "$work" "$1"
    fi
}

# db_sql DB SQL: runs SQL on the database as the application's role, seeing
# every clinic; prints the rows, one a line, columns apart by |
db_sql() {
    if on_postgres; then
        psql -X -q -A -t -v ON_ERROR_STOP=1 "$1" -c "SET tpt.clinic = '*'" -c "$2"
    else
        sqlite3 "$1" "$2"
    fi
}

# db_hold DB TABLE: another connection takes TABLE (SQLite: the whole file)
# for writing and keeps it until db_release (reads go on; a write waits,
# then gives up)
db_hold() {
    mkfifo "$work/hold"
    if on_postgres; then
        psql -X -q -A -t "$1" < "$work/hold" > "$work/held" 2>&1 &
    else
        sqlite3 "$1" < "$work/hold" > "$work/held" 2>&1 &
    fi
    holder=$!
    exec 3> "$work/hold"
    if on_postgres; then
        printf 'BEGIN;\nLOCK TABLE %s IN EXCLUSIVE MODE;\nSELECT 42;\n' "$2" >&3
    else
        printf '.timeout 5000\nBEGIN EXCLUSIVE;\nSELECT 42;\n' >&3
    fi
    # held once the holder answers
    for i in $(seq 100); do grep -q 42 "$work/held" 2> /dev/null && break; sleep 0.05; done
}

db_release() {
    printf 'ROLLBACK;\n' >&3
    exec 3>&-
    wait "$holder"
    rm -f "$work/hold"
}
