//! Rules of the layout that the compiler cannot check, checked over the sources.

use std::path::{Path, PathBuf};

/// The crates that hold business domains: everything but the shared machinery below them
/// and the door and tools above them.
fn domain_crates() -> Vec<PathBuf> {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let not_domains = ["accord-kernel", "accord-security", "accord-core", "accord-cli"];
    let mut found: Vec<PathBuf> = std::fs::read_dir(&crates)
        .expect("the crates folder")
        .map(|entry| entry.expect("a crate").path())
        .filter(|path| path.join("Cargo.toml").exists())
        .filter(|path| !not_domains.iter().any(|name| path.ends_with(name)))
        .collect();
    found.sort();
    found
}

fn rust_sources(dir: &Path, into: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a source folder") {
        let path = entry.expect("a source entry").path();
        if path.is_dir() {
            rust_sources(&path, into);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            into.push(path);
        }
    }
}

/// SEC-2: a domain reads its records through `records::find` or `records::load`, which
/// apply the actor's reach; a bare `Entity::find()` would show records the user may not see.
#[test]
fn domains_read_records_only_through_the_reach_of_the_actor() {
    let domains = domain_crates();
    assert!(domains.iter().any(|d| d.ends_with("accord-customers")), "found the domain crates: {domains:?}");
    let mut offences = Vec::new();
    for domain in &domains {
        let mut sources = Vec::new();
        rust_sources(&domain.join("src"), &mut sources);
        for source in sources {
            let text = std::fs::read_to_string(&source).expect("a readable source");
            for (number, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or_default();
                if ["Entity::find()", "Entity::find_by_id(", "::find_by_id("].iter().any(|bare| code.contains(bare)) {
                    offences.push(format!("{}:{}: {}", source.display(), number + 1, line.trim()));
                }
            }
        }
    }
    assert!(offences.is_empty(), "read through records::find / records::load instead:\n{}", offences.join("\n"));
}
