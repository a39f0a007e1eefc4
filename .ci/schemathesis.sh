#!/usr/bin/env bash
# API fuzzing: schemathesis against our own OpenAPI document, on a live server with the demo data,
# as anonymous, employer, staff and institution callers. Fails on any server error, any answer
# that does not match its declared schema, and any status the document does not declare.
#
#   .ci/schemathesis.sh                 fixed seed, a bounded number of examples per operation
#   SCHEMATHESIS_MAX_EXAMPLES=50 SCHEMATHESIS_SEED=7 .ci/schemathesis.sh   a longer / another run
#
# The server runs on a fresh SQLite database in a temporary directory (nothing of var/ is touched);
# SCHEMATHESIS_DATABASE_URL=postgres://... runs it on that (empty, throw-away) database instead.
# Lockouts: tokens are issued once, before any fuzzing; the authenticated runs exclude /auth/
# (fuzzing /auth/logout would revoke the run's own token), and the anonymous run, which fuzzes
# /auth/token, goes last, so a demo account locked by it can no longer disturb the others.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON_BIN:-$ROOT/.venv/bin/python}"
ST="$(dirname "$PY")/schemathesis"
SEED="${SCHEMATHESIS_SEED:-20261205}"
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-8}"
STAFF_USERS="${SCHEMATHESIS_STAFF_USERS:-intake benefits}"  # 受理员 and 待遇审核员: recognition, quick reports, payroll
REPORT_DIR="${SCHEMATHESIS_REPORT_DIR:-$ROOT/test-artifacts/schemathesis}"

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
    if [[ -n "$SERVER_PID" ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

export GONGSHANG_VAR_DIR="$WORK/var" DJANGO_SETTINGS_MODULE=config.settings.local DJANGO_DEBUG=true
export TASK_BACKEND=immediate
if [[ -n "${SCHEMATHESIS_DATABASE_URL:-}" ]]; then
    export DATABASE_URL="$SCHEMATHESIS_DATABASE_URL"
else
    unset DATABASE_URL
fi

echo "==> fresh database with the demo data ($WORK)"
"$PY" manage.py migrate --no-input -v 0
"$PY" manage.py createcachetable
"$PY" manage.py seed_demo >"$WORK/seed.log" 2>&1 || { cat "$WORK/seed.log" >&2; exit 1; }

PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
echo "==> server on $BASE"
"$(dirname "$PY")/gunicorn" config.wsgi:application --bind "127.0.0.1:$PORT" --workers 1 --threads 1 \
    --timeout 120 --log-level warning >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
    "$PY" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)' \
        "$BASE/api/v1/openapi.json" 2>/dev/null && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; echo "server did not start" >&2; exit 1; }
    sleep 1
done

token() {  # token JSON-BODY: a bearer token from POST /api/v1/auth/token
    "$PY" - "$BASE" "$1" <<'EOF'
import json, sys, urllib.request
request = urllib.request.Request(sys.argv[1] + "/api/v1/auth/token", data=sys.argv[2].encode(),
                                 headers={"Content-Type": "application/json"})
print(json.load(urllib.request.urlopen(request, timeout=30))["token"])
EOF
}

EMPLOYER_TOKEN="$(token '{"username": "91370200MA3C5UWK4C", "password": "Demo@2026"}')"
INSTITUTION_TOKEN="$(token '{"username": "inst-demo-qdfy", "password": "Demo-Inst-Secret-2026"}')"
declare -A STAFF_TOKENS
for user in $STAFF_USERS; do
    otp="$("$PY" manage.py demo_totp "$user")"
    STAFF_TOKENS[$user]="$(token "{\"username\": \"$user\", \"password\": \"Demo@2026\", \"otp\": \"$otp\"}")"
done

mkdir -p "$REPORT_DIR"
FAILED=()
fuzz() {  # fuzz NAME [schemathesis options...]
    local name="$1"
    shift
    echo
    echo "==> schemathesis as $name (seed $SEED, at most $MAX_EXAMPLES examples per operation)"
    local start=$SECONDS
    # Run from $WORK: schemathesis and hypothesis leave nothing in the repository.
    if (cd "$WORK" && "$ST" run "$BASE/api/v1/openapi.json" \
            --checks not_a_server_error,status_code_conformance,response_schema_conformance \
            --seed "$SEED" --max-examples "$MAX_EXAMPLES" --workers 1 --generation-database none \
            --request-timeout 60 --no-color --report junit \
            --report-junit-path "$REPORT_DIR/$name.xml" "$@" >"$REPORT_DIR/$name.txt" 2>&1); then
        echo "    passed in $((SECONDS - start)) s"
    else
        FAILED+=("$name")
        echo "    FAILED in $((SECONDS - start)) s; the full output:"
        cat "$REPORT_DIR/$name.txt"
    fi
    tail -n 25 "$REPORT_DIR/$name.txt" | grep -E "Test cases:|generated|Failures|❌|passed|failed" || true
}

fuzz employer -H "Authorization: Bearer $EMPLOYER_TOKEN" --exclude-path-regex '^/api/v1/auth/'
for user in $STAFF_USERS; do
    fuzz "staff-$user" -H "Authorization: Bearer ${STAFF_TOKENS[$user]}" --exclude-path-regex '^/api/v1/auth/'
done
fuzz institution -H "Authorization: Bearer $INSTITUTION_TOKEN" --exclude-path-regex '^/api/v1/auth/'
fuzz anonymous

if [[ -s "$WORK/server.log" ]] && grep -q "Traceback" "$WORK/server.log"; then
    echo "server errors logged:" >&2
    cat "$WORK/server.log" >&2
    FAILED+=("server-log")
fi
if ((${#FAILED[@]})); then
    echo "schemathesis failed: ${FAILED[*]} (reports in $REPORT_DIR)" >&2
    exit 1
fi
echo "schemathesis: 0 server errors, 0 schema violations, 0 undocumented statuses (reports in $REPORT_DIR)"
