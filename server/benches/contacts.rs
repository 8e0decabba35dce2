//! Contacts at scale, on the embedded store (`cargo bench -p server --bench contacts`):
//! - a 100,000-row CSV (`scripts/gen-contacts.py`) imported end to end — parse, normalise,
//!   de-duplicate, persist — against a bare parse-and-normalise loop over the same file, measured
//!   in the same run (goals: ≤ 3 s, ≤ 3× the bare loop);
//! - searches over the 100,000 stored contacts (goal: p95 ≤ 20 ms).

use adronx::contacts::ContactService;
use adronx::contacts::import::{ImportService, detect, rows};
use adronx::storage::Stores;
use adronx::storage::contacts::{ContactFilter, ImportPlan};
use app::accounts::model::{Caller, Role};
use app::contacts::import::{ImportMode, ImportStatus};
use app::ids::{OrgId, UserId};
use std::sync::Arc;
use std::time::{Duration, Instant};

const ROWS: usize = 100_000;

fn generate(path: &std::path::Path) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = std::process::Command::new("python3")
        .arg(root.join("scripts/gen-contacts.py"))
        .arg(ROWS.to_string())
        .output()
        .expect("python3 runs the generator");
    assert!(out.status.success());
    std::fs::write(path, out.stdout).unwrap();
}

/// The bare loop: read every record and normalise it, nothing else.
fn bare(path: &std::path::Path, mapping: &[app::contacts::import::ColumnTarget]) -> (usize, usize) {
    let bytes = std::fs::read(path).unwrap();
    let sample = &bytes[..bytes.len().min(detect::SAMPLE)];
    let encoding = detect::encoding(sample).unwrap();
    let delimiter = detect::delimiter(&detect::decode_sample(sample, encoding));
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(&bytes[..]);
    let (mut ok, mut bad) = (0, 0);
    let mut record = csv::ByteRecord::new();
    while reader.read_byte_record(&mut record).unwrap() {
        match rows::cells(&record, encoding).and_then(|c| rows::candidate(&c, mapping, &[], "MX")) {
            Ok(_) => ok += 1,
            Err(_) => bad += 1,
        }
    }
    (ok, bad)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("contacts.csv");
    generate(&file);
    let stores = Stores::sqlite(&dir.path().join("bench.db")).await.unwrap();
    let service = Arc::new(ContactService::new(stores.contacts.clone()));
    let imports = ImportService::new(&stores, service, dir.path(), "http://localhost".into());
    let caller = Caller { user_id: UserId::new("bench"), org_id: OrgId::new("org"), role: Role::Owner };
    let bytes = std::fs::read(&file).unwrap();
    let size = bytes.len();
    let chunks = futures_util::stream::iter(
        bytes
            .chunks(64 * 1024)
            .map(|c| Ok::<_, std::io::Error>(axum::body::Bytes::copy_from_slice(c)))
            .collect::<Vec<_>>(),
    );
    let import = imports.upload(&caller, "contacts.csv", chunks, Some("MX".into())).await.unwrap();
    let mapping = import.mapping.clone();
    let plan = ImportPlan {
        mapping: mapping.clone(),
        mode: ImportMode::CreateAndUpdate,
        tags: vec![],
        default_country: "MX".into(),
    };
    stores.contacts.plan_import(&caller.org_id, &import.id, &plan).await.unwrap();

    let started = Instant::now();
    let (ok, bad) = bare(&file, &mapping);
    let bare_time = started.elapsed();

    let started = Instant::now();
    imports.run_import(&caller.org_id, &import.id).await.unwrap();
    let import_time = started.elapsed();
    let done = stores.contacts.import(&caller.org_id, &import.id).await.unwrap().unwrap();
    assert_eq!(done.status, ImportStatus::Done);
    let c = done.counts;
    println!("import of {ROWS} rows ({:.1} MB), embedded store:", size as f64 / 1e6);
    println!("  bare parse-and-normalise loop: {:>7.0} ms ({ok} valid, {bad} invalid)", bare_time.as_secs_f64() * 1e3);
    println!(
        "  end to end:                    {:>7.0} ms = {:.2}× the bare loop (created {}, updated {}, unchanged {}, rejected {})",
        import_time.as_secs_f64() * 1e3,
        import_time.as_secs_f64() / bare_time.as_secs_f64(),
        c.created,
        c.updated,
        c.unchanged,
        c.rejected
    );

    // Searches: names, e-mail fragments, phone fragments and whole numbers typed another way.
    let terms = [
        "ana", "garcía", "müller", "sofía.1", "example", "khalil", "1234", "55 1000", "+34 61", "zz-none", "torres",
        "5491110",
    ];
    let mut times = Vec::new();
    for round in 0..20 {
        for term in terms {
            let filter = ContactFilter {
                search: adronx::contacts::service::search_key(term, "MX"),
                tag: None,
                sort: if round % 2 == 0 {
                    app::contacts::model::ContactSort::Name
                } else {
                    app::contacts::model::ContactSort::Recent
                },
            };
            let started = Instant::now();
            let found = stores.contacts.list_contacts(&caller.org_id, &filter, None, 51).await.unwrap();
            times.push(started.elapsed());
            std::hint::black_box(found);
        }
    }
    times.sort();
    println!(
        "search over {} contacts ({} searches, first page of 50): p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        stores.contacts.count_contacts(&caller.org_id).await.unwrap(),
        times.len(),
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.95).as_secs_f64() * 1e3,
        times.last().unwrap().as_secs_f64() * 1e3
    );
}
