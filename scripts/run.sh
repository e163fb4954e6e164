#!/usr/bin/env bash
# The run command. Until the desktop window arrives (issue 4) it builds the `accord` CLI,
# migrates the database and shows the first organisations.
# Extra arguments are passed to `accord` before the subcommand, e.g. `scripts/run.sh --db sqlite:/tmp/a.sqlite3`;
# ACCORD_DB works too. Without either, the default database in the app-data folder is used.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib/prereqs.sh
source scripts/lib/prereqs.sh

accord_banner "Prerequisites"
accord_install_packages "${ACCORD_BUILD_PACKAGES[@]}"
accord_ensure_rust
accord_use_target_dir

accord_banner "Building the accord CLI (release)"
cargo build --release -p accord-cli --bin accord
accord="${CARGO_TARGET_DIR}/release/accord"

accord_banner "accord migrate"
"${accord}" "$@" migrate

accord_banner "The first organisations (accord op customers.list_organisations)"
"${accord}" "$@" op customers.list_organisations --json '{"limit":10}'

echo
echo "The desktop window arrives with issue 4. Until then, drive Accord with ${accord}"
echo "(see README.md: 'accord ops' lists every operation)."
