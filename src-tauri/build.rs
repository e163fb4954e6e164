// tauri.conf.json lives at the repository root (see ARCHITECTURE.md), one folder up.
fn main() {
    // The built UI is embedded by `generate_context!`, which cargo cannot see reading it:
    // rebuild the shell whenever `ui/dist` changes, or it would ship a stale UI.
    println!("cargo:rerun-if-changed=../ui/dist");
    // The window may call only the one `api` command (capabilities/default.json: allow-api).
    let manifest = tauri_build::AppManifest::new().commands(&["api"]);
    let attributes = tauri_build::Attributes::new().config_path("../tauri.conf.json").app_manifest(manifest);
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {error:#}");
    }
}
