#!/usr/bin/env bash
# The desktop shell over a compressed day of reminders (issue 17's benchmark): N one-off calls
# planned by the CLI over M minutes, each reminding at its start, raised by the running app as
# native notifications (python3-dbusmock records them on a private session bus, under Xvfb);
# the shell's resident memory and threads are sampled every 10 s, and its CPU over the idle
# minute after the last one. Prints one JSON object. Usage:
#   scripts/bench-reminders.sh [reminders=60] [minutes=5] [profile=debug|release]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
reminders="${1:-60}"; minutes="${2:-5}"; profile="${3:-debug}"
target="${CARGO_TARGET_DIR:-${HOME}/.cache/accord/target}"
export ACCORD_APP="${target}/${profile}/accord-desktop" ACCORD_CLI="${target}/${profile}/accord"
export REMINDERS="${reminders}" MINUTES="${minutes}"
# A click is listened for a minute here, not a quarter of an hour: the compressed day shows
# whether the listeners are let go.
export ACCORD_REMINDER_CLICK_SECONDS="${ACCORD_REMINDER_CLICK_SECONDS:-60}"
export WEBKIT_DISABLE_DMABUF_RENDERER=1 DISPLAY="${ACCORD_BENCH_DISPLAY:-:97}"
Xvfb "${DISPLAY}" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill ${xvfb} 2>/dev/null || true' EXIT
sleep 1
dbus-run-session -- bash -c '
    set -euo pipefail
    /usr/bin/python3 -m dbusmock --session --template notification_daemon >/dev/null 2>&1 &
    home=$(mktemp -d)
    export XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" XDG_CACHE_HOME="$home/cache"
    db="sqlite:$XDG_DATA_HOME/accord/accord.sqlite3"
    op() { "$ACCORD_CLI" --db "$db" op "$1" --json "$2"; }
    "$ACCORD_APP" >/dev/null 2>&1 &
    app=$!
    for _ in $(seq 100); do [ -f "$XDG_DATA_HOME/accord/accord.sqlite3" ] && break; sleep 0.2; done
    sleep 3
    org=$(op customers.create_organisation "{\"name\":\"Bench Ltd\"}" | python3 -c "import json,sys; print(json.load(sys.stdin)[\"organisation\"][\"id\"])")
    topic=$(op interactions.define_topic "{\"name\":\"Bench call\"}" | python3 -c "import json,sys; print(json.load(sys.stdin)[\"id\"])")
    first=$(( $(date +%s) + 90 ))
    step=$(( MINUTES * 60 / REMINDERS )); [ "$step" -ge 1 ] || step=1
    for i in $(seq 0 $((REMINDERS - 1))); do
        at=$(date -u -d "@$(( first + i * step ))" +%Y-%m-%dT%H:%M:%S)
        op interactions.schedule "{\"topic_id\":\"$topic\",\"channel\":\"phone\",\"organisation_id\":\"$org\",\"starts_at\":\"$at\",\"time_zone\":\"UTC\",\"lead_minutes\":0}" >/dev/null
    done
    last=$(( first + (REMINDERS - 1) * step ))
    sample() { awk "/VmRSS/{r=\$2} /Threads/{t=\$2} END{printf \"%d %d\", r, t}" /proc/$app/status; }
    cpu() { awk "{print \$14 + \$15}" /proc/$app/stat; }
    samples=""
    while [ "$(date +%s)" -le $(( last + 15 )) ]; do
        samples="$samples $(date +%s):$(sample | tr " " ":")"
        sleep 10
    done
    idle_from=$(cpu); sleep 60; idle_to=$(cpu)
    samples="$samples $(date +%s):$(sample | tr " " ":")"
    shown=$(/usr/bin/python3 tests/e2e/desktop.py notifications | python3 -c "import json,sys; print(len(json.load(sys.stdin)))")
    ticks=$(getconf CLK_TCK)
    kill $app; wait $app 2>/dev/null || true
    python3 - "$samples" "$shown" "$idle_from" "$idle_to" "$ticks" > "$home/result.json" <<PY
import json, sys
samples = [s.split(":") for s in sys.argv[1].split()]
rows = [{"at": int(a), "rss_kb": int(r), "threads": int(t)} for a, r, t in samples]
idle = (int(sys.argv[4]) - int(sys.argv[3])) / int(sys.argv[5])
print(json.dumps({"reminders": int("$REMINDERS"), "shown": int(sys.argv[2]),
    "rss_kb_first": rows[0]["rss_kb"], "rss_kb_last": rows[-1]["rss_kb"],
    "threads_first": rows[0]["threads"], "threads_last": rows[-1]["threads"],
    "idle_cpu_seconds_per_minute": idle, "samples": rows}))
PY
    cat "$home/result.json" >&3
' 3>&1 >/dev/null
