#!/usr/bin/env bash
# The one test command: installs what is missing, then checks formatting, lints, runs every
# Rust test on SQLite and PostgreSQL, and type-checks the UI. Stops at the first failure.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib/prereqs.sh
source scripts/lib/prereqs.sh

accord_banner "Prerequisites"
node_packages=()
mapfile -t node_packages < <(accord_node_packages)
accord_install_packages "${ACCORD_BUILD_PACKAGES[@]}" "${ACCORD_TEST_PACKAGES[@]}" "${node_packages[@]}"
accord_ensure_rust
accord_use_target_dir
accord_ensure_postgres

accord_banner "1/5 cargo fmt --all -- --check"
cargo fmt --all -- --check

accord_banner "2/5 cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

accord_banner "3/5 cargo test --workspace (SQLite and PostgreSQL at ${ACCORD_TEST_PG_URL})"
cargo test --workspace

cd ui
if [ -f package-lock.json ]; then
    accord_banner "4/5 npm ci (ui/)"
    npm ci --no-audit --no-fund
else
    accord_banner "4/5 npm install (ui/, no lockfile)"
    npm install --no-audit --no-fund
fi

accord_banner "5/5 npm run typecheck (ui/)"
npm run typecheck

accord_banner "All checks passed"
