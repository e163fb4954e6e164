# shellcheck shell=bash
# Prerequisites shared by scripts/test.sh and scripts/run.sh (sourced, not executed).
#
# On a fresh Debian 12 machine this installs what is missing — Debian packages, Rust,
# PostgreSQL — and nothing that is already there. Runs as root, or through sudo otherwise.

# Runs a command as root (directly when we are root, through sudo otherwise).
accord_as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    else
        sudo "$@"
    fi
}

# Runs a command as the `postgres` system user, from a directory it can read.
accord_as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && sudo -u postgres -- "$@")
    fi
}

accord_banner() {
    printf '\n==> %s\n' "$*"
}

accord_note() {
    printf '    %s\n' "$*"
}

accord_package_installed() {
    dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'
}

# Installs the given Debian packages that are not installed yet; `apt-get update` runs once,
# and only when something is missing.
accord_install_packages() {
    local missing=() package
    for package in "$@"; do
        accord_package_installed "$package" || missing+=("$package")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        return 0
    fi
    accord_banner "Installing Debian packages: ${missing[*]}"
    accord_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    accord_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# What building the workspace needs.
# shellcheck disable=SC2034  # used by the scripts that source this file
ACCORD_BUILD_PACKAGES=(build-essential pkg-config curl ca-certificates libssl-dev sqlite3)
# What the desktop shell (Tauri 2: WebKitGTK, tray, keyring over D-Bus) needs to build and run.
# shellcheck disable=SC2034  # used by the scripts that source this file
ACCORD_DESKTOP_PACKAGES=(file libwebkit2gtk-4.1-dev libjavascriptcoregtk-4.1-dev libsoup-3.0-dev libgtk-3-dev
    libayatana-appindicator3-dev librsvg2-dev libxdo-dev fonts-noto-core)
# What the end-to-end tests need: a virtual display, WebKit's WebDriver, a private D-Bus
# session with a keyring, and X's screen capture.
# shellcheck disable=SC2034  # used by the scripts that source this file
ACCORD_E2E_PACKAGES=(xvfb xauth x11-utils webkit2gtk-driver dbus dbus-x11 gnome-keyring libsecret-tools imagemagick python3-dbusmock python3-xlib)
# What the tests need on top: the PostgreSQL server for the both-engine suite, and an
# independent iCalendar parser (Python's `icalendar`) that reads the .ics export back.
# shellcheck disable=SC2034  # used by the scripts that source this file
ACCORD_TEST_PACKAGES=(postgresql postgresql-contrib python3-icalendar)

# Node and npm for the UI, from Debian, only when there is no `node` (or no `npm`) at all:
# a Node installed another way is left alone.
accord_node_packages() {
    command -v node >/dev/null 2>&1 || printf '%s\n' nodejs
    command -v npm >/dev/null 2>&1 || printf '%s\n' npm
}

# Rust through rustup, only when `cargo` is absent; makes sure rustfmt and clippy are there.
accord_ensure_rust() {
    if ! command -v cargo >/dev/null 2>&1 && [ -x "${HOME}/.cargo/bin/cargo" ]; then
        export PATH="${HOME}/.cargo/bin:${PATH}"
    fi
    if ! command -v cargo >/dev/null 2>&1; then
        accord_banner "Installing Rust (rustup, stable toolchain)"
        curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs |
            sh -s -- -y --profile minimal --default-toolchain stable --component rustfmt,clippy
        export PATH="${HOME}/.cargo/bin:${PATH}"
    fi
    if command -v rustup >/dev/null 2>&1; then
        local installed
        installed="$(rustup component list --installed 2>/dev/null || true)"
        grep -q '^rustfmt' <<<"${installed}" || rustup component add rustfmt
        grep -q '^clippy' <<<"${installed}" || rustup component add clippy
    fi
}

# One build directory outside the clone, so repeated runs (and CI on the same machine) reuse it.
accord_use_target_dir() {
    export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${HOME}/.cache/accord/target}"
    mkdir -p "${CARGO_TARGET_DIR}"
    accord_note "CARGO_TARGET_DIR=${CARGO_TARGET_DIR}"
}

accord_pg_ready() {
    pg_isready -q -h 127.0.0.1 -p 5432
}

# Starts the local PostgreSQL cluster when nothing accepts connections on 127.0.0.1:5432
# (creating a `main` cluster when none exists), then exports ACCORD_TEST_PG_URL with
# credentials that work: trust auth as on the CI machine, or the password `postgres` that a
# fresh Debian install (scram for TCP connections) gets set here.
accord_ensure_postgres() {
    if [ -n "${ACCORD_TEST_PG_URL:-}" ]; then
        accord_note "Using ACCORD_TEST_PG_URL from the environment; the local server is left alone."
        return 0
    fi
    if ! accord_pg_ready; then
        local version
        version="$(find /etc/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | sort -V | head -1)"
        if [ -z "${version}" ]; then
            version="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -V | tail -1)"
        fi
        if [ ! -d "/etc/postgresql/${version}/main" ]; then
            accord_banner "Creating PostgreSQL ${version} cluster 'main'"
            accord_as_root pg_createcluster "${version}" main
        fi
        accord_banner "Starting PostgreSQL ${version}/main"
        accord_as_root pg_ctlcluster --skip-systemctl-redirect "${version}" main start || true
        local waited=0
        until accord_pg_ready; do
            if [ "${waited}" -ge 30 ]; then
                echo "PostgreSQL did not accept connections on 127.0.0.1:5432 within 30 s." >&2
                echo "Look at /var/log/postgresql/postgresql-${version}-main.log" >&2
                return 1
            fi
            sleep 1
            waited=$((waited + 1))
        done
    fi

    local trust_url="postgres://postgres@127.0.0.1:5432/postgres"
    local password_url="postgres://postgres:postgres@127.0.0.1:5432/postgres"
    if PGCONNECT_TIMEOUT=5 psql -w -X -q "${trust_url}" -c 'select 1' >/dev/null 2>&1; then
        export ACCORD_TEST_PG_URL="${trust_url}"
    else
        if ! PGCONNECT_TIMEOUT=5 psql -w -X -q "${password_url}" -c 'select 1' >/dev/null 2>&1; then
            accord_note "Setting the password 'postgres' for the postgres role (local test server)."
            echo "ALTER ROLE postgres PASSWORD 'postgres';" | accord_as_postgres psql -X -q
        fi
        if ! PGCONNECT_TIMEOUT=5 psql -w -X -q "${password_url}" -c 'select 1' >/dev/null 2>&1; then
            echo "Cannot connect to PostgreSQL on 127.0.0.1:5432 as postgres (trust or password)." >&2
            echo "Set ACCORD_TEST_PG_URL to a server URL whose user may create databases." >&2
            return 1
        fi
        export ACCORD_TEST_PG_URL="${password_url}"
    fi
    accord_note "ACCORD_TEST_PG_URL=${ACCORD_TEST_PG_URL}"
}

# tauri-driver (WebDriver bridge to the app), pinned: crates.io's "latest" is a 3.0 alpha.
accord_ensure_tauri_driver() {
    if ! command -v tauri-driver >/dev/null 2>&1; then
        accord_banner "Installing tauri-driver 2.1.0 (cargo install)"
        cargo install tauri-driver@2.1.0 --locked
    fi
}

# Installs the UI's npm packages (from the lockfile) and builds it into ui/dist, which the
# desktop shell embeds at compile time.
accord_build_ui() {
    (
        cd ui
        if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
            npm ci --no-audit --no-fund
        fi
        npm run build
    )
}
