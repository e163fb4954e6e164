#!/usr/bin/env bash
# The run command: installs what is missing, builds the UI and the desktop app (release),
# and starts Accord on the embedded database in the OS app-data folder (created on first
# start; ~/.local/share/accord/accord.sqlite3 on Linux). Needs a graphical session (DISPLAY
# or WAYLAND_DISPLAY). Arguments are passed to the app.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib/prereqs.sh
source scripts/lib/prereqs.sh

accord_banner "Prerequisites"
node_packages=()
mapfile -t node_packages < <(accord_node_packages)
accord_install_packages "${ACCORD_BUILD_PACKAGES[@]}" "${ACCORD_DESKTOP_PACKAGES[@]}" "${node_packages[@]}"
accord_ensure_rust
accord_use_target_dir

accord_banner "Building the UI (ui/dist)"
accord_build_ui

accord_banner "Building the desktop app (release; the first build takes about 10 minutes on 2 cores)"
cargo build --release -p accord-desktop -p accord-cli

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    echo "There is no graphical session (DISPLAY / WAYLAND_DISPLAY unset): cannot open the window." >&2
    echo "Run this from a desktop session, or start a virtual one: Xvfb :99 & DISPLAY=:99 $0" >&2
    exit 1
fi

accord_banner "Starting Accord"
exec "${CARGO_TARGET_DIR}/release/accord-desktop" "$@"
