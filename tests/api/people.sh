# Sourced by the API tests that act as several people at once: requests with
# each one's cookies and CSRF token, the checks of their answers, and
# accounts made by invitation. Needs work, base and the function fail
# defined (server.sh starts the server).

# as WHO METHOD PATH [BODY]: a request with WHO's cookies and CSRF token
# ("none": neither); the status in $status, the answer in $work/out, its
# headers in $work/headers. $from, when set, is the address curl sends from
# (a loopback address: 127.0.0.2 ...).
as() {
    csrf=""
    [ -f "$work/csrf.$1" ] && csrf=$(cat "$work/csrf.$1")
    touch "$work/jar.$1"
    status=$(curl -s -o "$work/out" -D "$work/headers" -w '%{http_code}' \
        ${from:+--interface "$from"} -b "$work/jar.$1" -c "$work/jar.$1" -X "$2" \
        ${csrf:+-H "X-CSRF-Token: $csrf"} \
        ${4:+-H 'Content-Type: application/json' --data-binary "$4"} "$base$3")
}
# expect STATUS JQ WHAT: the last answer had STATUS and, when JQ is given,
# JQ is true of it
expect() {
    if [ "$status" != "$1" ]; then
        fail "$3: status $status, expected $1: $(head -c 300 "$work/out")"
    elif [ -n "$2" ] && ! jq -e "$2" "$work/out" > /dev/null 2>&1; then
        fail "$3: $(head -c 300 "$work/out")"
    fi
}
keep_csrf() { jq -r .csrf "$work/out" > "$work/csrf.$1"; }
# invite WHO ROLE [EXTRA JSON]: invited by $inviter (default admin) and
# accepted by WHO, whose email is WHO@example.org and password "secret of WHO"
invite() {
    as "${inviter:-admin}" POST /api/v1/invitations "{\"role\":\"$2\",\"name\":\"$1\"${3:-}}"
    expect 201 '.link | startswith("/#/invite/")' "inviting $1"
    token=$(jq -r .token "$work/out")
    as "$1" POST "/api/v1/invitations/$token/accept" \
        "{\"email\":\"$1@example.org\",\"password\":\"secret of $1\"}"
    expect 201 ".user.role == \"$2\"" "$1 accepts"
    keep_csrf "$1"
}
# the token of a link /#/reset/TOKEN or /#/invite/TOKEN in text
token_of() { sed -n 's|.*/#/[a-z]*/\([0-9a-f]\{64\}\).*|\1|p' | head -n 1; }
# make_operator WHO: an operator account made on the server's command line
# (tpt operator add; needs tpt and db), its password chosen through the
# link it printed, signed in as WHO
make_operator() {
    "$tpt" operator add "$1@host.example" --name "$1" --db "$db" > "$work/operator.out" 2>&1 ||
        fail "tpt operator add: $(cat "$work/operator.out")"
    as "$1" POST "/api/v1/resets/$(token_of < "$work/operator.out")" "{\"password\":\"secret of $1\"}"
    expect 201 '.user.role == "operator"' "the operator $1 signs in"
    keep_csrf "$1"
}
