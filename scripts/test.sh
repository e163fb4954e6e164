#!/usr/bin/env bash
# The one test command: installs what is missing, then checks the UI (lint, types, component
# tests, build), the Rust workspace (format, lints, every test on SQLite and PostgreSQL), and
# runs the end-to-end scenario in the real window in English, Russian and Persian.
# Stops at the first failure. Screenshots: tests/e2e/artifacts/<language>/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib/prereqs.sh
source scripts/lib/prereqs.sh

accord_banner "Prerequisites"
node_packages=()
mapfile -t node_packages < <(accord_node_packages)
accord_install_packages "${ACCORD_BUILD_PACKAGES[@]}" "${ACCORD_DESKTOP_PACKAGES[@]}" \
    "${ACCORD_E2E_PACKAGES[@]}" "${ACCORD_TEST_PACKAGES[@]}" "${node_packages[@]}"
accord_ensure_rust
accord_use_target_dir
accord_ensure_postgres

accord_banner "1/8 UI: npm ci, lint, type check"
(cd ui && npm ci --no-audit --no-fund && npm run lint && npm run typecheck)

accord_banner "2/8 UI: component tests (Vitest)"
(cd ui && npm test)

accord_banner "3/8 UI: build (ui/dist, embedded by the desktop shell)"
(cd ui && npm run build)

accord_banner "4/8 cargo fmt --all -- --check"
cargo fmt --all -- --check

accord_banner "5/8 cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

accord_banner "6/8 cargo test --workspace (SQLite and PostgreSQL at ${ACCORD_TEST_PG_URL})"
cargo test --workspace

accord_banner "7/8 Build the desktop app and the CLI for the end-to-end tests"
cargo build --workspace --bins
accord_ensure_tauri_driver

accord_banner "8/8 End to end in the real window (Xvfb + tauri-driver + WebKitWebDriver): en, ru, fa"
scripts/e2e.sh

accord_banner "All checks passed"
