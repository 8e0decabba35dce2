//! Finds the storage contract tests (`pub async fn name(s: Stores)` in `src/storage/**/contract.rs`)
//! and writes one `#[tokio::test]` per test and adapter, so a new test runs against every adapter
//! without being listed anywhere.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let root = Path::new("src/storage");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut areas: Vec<(String, Vec<String>)> = Vec::new();
    let mut files = vec![(String::new(), root.join("contract.rs"))];
    for entry in std::fs::read_dir(root).expect("src/storage") {
        let path = entry.expect("dir entry").path();
        if path.join("contract.rs").is_file() {
            let area = path.file_name().unwrap().to_string_lossy().into_owned();
            files.push((area, path.join("contract.rs")));
        }
    }
    files.sort();
    for (area, file) in files {
        let text = std::fs::read_to_string(&file).expect("contract file");
        let tests = text
            .lines()
            .filter_map(|l| l.strip_prefix("pub async fn "))
            .filter(|rest| rest.contains("(s: Stores)"))
            .map(|rest| rest.split('(').next().unwrap().trim().to_owned())
            .collect();
        areas.push((area, tests));
    }
    let mut out = String::new();
    for (adapter, run) in [
        ("sqlite", "{path}::{test}(super::super::fresh_sqlite().await).await;"),
        (
            "mongodb",
            "match super::super::fresh_mongo().await {\n        Some(s) => {path}::{test}(s).await,\n        \
             None => eprintln!(\"ADRONX_TEST_MONGODB_URI is not set: skipped\"),\n    }",
        ),
    ] {
        writeln!(out, "mod {adapter} {{").unwrap();
        for (area, tests) in &areas {
            let (module, path) = if area.is_empty() {
                ("store".to_owned(), "crate::storage::contract".to_owned())
            } else {
                (area.clone(), format!("crate::storage::{area}::contract"))
            };
            writeln!(out, "mod {module} {{").unwrap();
            for test in tests {
                let body = run.replace("{path}", &path).replace("{test}", test);
                writeln!(out, "#[tokio::test(flavor = \"multi_thread\", worker_threads = 2)]\nasync fn {test}() {{\n    {body}\n}}")
                    .unwrap();
            }
            writeln!(out, "}}").unwrap();
        }
        writeln!(out, "}}").unwrap();
    }
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("storage_contract_tests.rs");
    std::fs::write(dest, out).unwrap();
}
