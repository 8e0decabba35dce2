//! An import killed mid-run (`kill -9` of the server process) resumes after a restart where it
//! stopped: no row lost, none duplicated, every count exact. Runs the real `adronx` binary twice
//! on one data directory.

use crate::support::{free_port, sign_up, start, wait_ready};
use serde_json::Value;
use std::collections::HashSet;
use std::time::{Duration, Instant};

const ROWS: usize = 30_000;

/// The file: unique Spanish mobiles, every 50th row repeating an earlier number, every 97th an
/// impossible one. Returns it with the expected (created, rejected).
fn file() -> (String, usize, usize) {
    let mut text = String::from("name,phone\n");
    let phone = |n: usize| format!("+34 6{:08}", n * 7 + 1000);
    let (mut seen, mut created, mut rejected) = (HashSet::new(), 0, 0);
    for n in 0..ROWS {
        let number = if n % 97 == 0 {
            "12345".to_owned()
        } else if n % 50 == 0 {
            phone(n - 25)
        } else {
            phone(n)
        };
        text.push_str(&format!("Contact {n},{number}\n"));
        if n % 97 == 0 || !seen.insert(number) {
            rejected += 1;
        } else {
            created += 1;
        }
    }
    (text, created, rejected)
}

#[tokio::test]
async fn an_import_killed_mid_run_resumes_exactly_where_it_stopped() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let data = tempfile::tempdir().unwrap();
    let port = free_port();
    let client = reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
    let mut first = start(data.path(), port);
    wait_ready(&client, &first).await;
    let owner = sign_up(&client, &first, data.path()).await;
    let bearer = owner.access;
    let (csv, created, rejected) = file();
    let part = reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("big.csv");
    let import: Value = client
        .post(format!("{}/api/contacts/import/upload", first.base))
        .bearer_auth(&bearer)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = import["id"].as_str().expect("an import").to_owned();
    let start_form = [
        ("id", id.as_str()),
        ("mapping[0]", "display_name"),
        ("mapping[1]", "phone"),
        ("mode", "create_and_update"),
        ("country", "ES"),
    ];
    let res = client
        .post(format!("{}/api/contacts/import/start", first.base))
        .bearer_auth(&bearer)
        .form(&start_form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let status = |base: String| {
        let (client, bearer, id) = (client.clone(), bearer.clone(), id.clone());
        async move {
            let res = client
                .post(format!("{base}/api/contacts/import/status"))
                .bearer_auth(&bearer)
                .form(&[("id", id)])
                .send()
                .await;
            match res {
                Ok(res) => res.json::<Value>().await.unwrap_or(Value::Null),
                Err(_) => Value::Null,
            }
        }
    };
    // Kill it once some batches are written and many remain.
    let deadline = Instant::now() + Duration::from_secs(120);
    let done_before = loop {
        let now = status(first.base.clone()).await;
        let done = now["counts"]["rows_done"].as_u64().unwrap_or(0);
        if done >= 4000 {
            first.child.kill().unwrap();
            first.child.wait().unwrap();
            break done;
        }
        assert!(Instant::now() < deadline, "the import did not progress: {now}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    assert!((done_before as usize) < ROWS, "killed mid-run ({done_before} of {ROWS} rows done)");
    let mut second = start(data.path(), port);
    wait_ready(&client, &second).await;
    let deadline = Instant::now() + Duration::from_secs(40);
    let finished = loop {
        let now = status(second.base.clone()).await;
        if now["status"] == "done" {
            break now;
        }
        if Instant::now() > deadline {
            let logs: Vec<String> = std::fs::read_dir(data.path())
                .unwrap()
                .filter_map(|e| {
                    let p = e.ok()?.path();
                    p.to_string_lossy().ends_with(".log").then(|| std::fs::read_to_string(p).unwrap_or_default())
                })
                .collect();
            panic!("the import did not resume: {now}\n{}", logs.join("\n---\n"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    second.child.kill().unwrap();
    second.child.wait().unwrap();
    let counts = &finished["counts"];
    assert_eq!(counts["rows_done"], ROWS as u64);
    assert_eq!(counts["created"], created as u64, "{finished}");
    assert_eq!(counts["rejected"], rejected as u64, "{finished}");
    assert_eq!(counts["updated"], 0, "nothing written twice: {finished}");
    assert_eq!(counts["unchanged"], 0, "nothing read back as already there: {finished}");
    // What the store holds agrees with the counts.
    let store = adronx::storage::Stores::sqlite(&data.path().join("adronx.db")).await.unwrap();
    let org = app::ids::OrgId::new(owner.org_id);
    assert_eq!(store.contacts.count_contacts(&org).await.unwrap(), created as u64);
    assert_eq!(store.contacts.import_rejects(&org, &id).await.unwrap().len(), rejected);
}
