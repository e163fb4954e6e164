#!/usr/bin/env bash
# End-to-end tests in the real window: Xvfb, a private D-Bus session with an unlocked
# keyring, tauri-driver + WebKitWebDriver, then tests/e2e (WebdriverIO). Expects the debug
# builds of accord-desktop and accord in CARGO_TARGET_DIR (scripts/test.sh builds them).
# Screenshots go to tests/e2e/artifacts/<language>/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${HOME}/.cache/accord/target}"
export PATH="${HOME}/.cargo/bin:${PATH}"
export WEBKIT_DISABLE_DMABUF_RENDERER=1
display="${ACCORD_E2E_DISPLAY:-:99}"

xvfb_pid=""
if ! xdpyinfo -display "${display}" >/dev/null 2>&1; then
    Xvfb "${display}" -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
    xvfb_pid=$!
    for _ in $(seq 50); do xdpyinfo -display "${display}" >/dev/null 2>&1 && break; sleep 0.1; done
fi
cleanup() { [ -n "${xvfb_pid}" ] && kill "${xvfb_pid}" 2>/dev/null || true; }
trap cleanup EXIT
export DISPLAY="${display}"

rm -rf tests/e2e/artifacts
(cd tests/e2e && { [ -d node_modules ] && [ node_modules -nt package-lock.json ] || npm ci --no-audit --no-fund; })

# The keyring must be unlocked before the app starts, or it reports NoStorageAccess (PLATFORM.md).
# Each run gets an empty keyring of its own, so nothing a failed run left behind (a server
# password, a remembered sign-in) is found by the next one. The session bus also gets a
# notification service that records what it is sent (python3-dbusmock), which the scenario
# reads back to check the reminders' native notifications.
dbus-run-session -- bash -c '
    keyring_home=$(mktemp -d)
    trap "rm -rf \"$keyring_home\"; kill \$notifications_pid 2>/dev/null" EXIT
    printf "accord-e2e" | XDG_DATA_HOME="$keyring_home" gnome-keyring-daemon --unlock --components=secrets >/dev/null
    /usr/bin/python3 -m dbusmock --session --template notification_daemon >/dev/null 2>&1 &
    notifications_pid=$!
    for _ in $(seq 50); do
        gdbus introspect --session --dest org.freedesktop.Notifications --object-path /org/freedesktop/Notifications >/dev/null 2>&1 && break
        sleep 0.1
    done
    cd tests/e2e && node customers.e2e.mjs "$@"
' e2e "$@"
