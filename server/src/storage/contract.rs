//! The contract every storage adapter must pass. Each area keeps its tests in `<area>/contract.rs`
//! as `pub async fn name(s: Stores)`; `build.rs` finds them and this module runs each one against
//! a fresh embedded store, and against MongoDB whenever `ADRONX_TEST_MONGODB_URI` is set (`make
//! test` starts a MongoDB-compatible server and sets it). Adding a test needs no list.

use super::Stores;

pub fn secs(n: i64) -> time::Duration {
    time::Duration::seconds(n)
}

pub async fn answers_ping(s: Stores) {
    s.health.ping().await.unwrap();
}

/// A new, empty embedded store in a temporary directory.
pub async fn fresh_sqlite() -> Stores {
    let dir = tempfile::tempdir().unwrap().keep();
    Stores::sqlite(&dir.join("contract.db")).await.unwrap()
}

/// A new, empty MongoDB database (one per test, so tests run in parallel), or `None` when no
/// server is configured.
pub async fn fresh_mongo() -> Option<Stores> {
    let uri = std::env::var("ADRONX_TEST_MONGODB_URI").ok().filter(|u| !u.is_empty())?;
    // A client per test: each test has its own runtime, and a client's tasks die with theirs.
    let client = ::mongodb::Client::with_uri_str(&uri).await.unwrap();
    let db = client.database(&format!("adronx_contract_{}", uuid::Uuid::new_v4().simple()));
    Some(Stores::mongo(db).await.unwrap())
}

// sqlite::<area>::<test> and mongodb::<area>::<test>, one per contract test found by build.rs.
include!(concat!(env!("OUT_DIR"), "/storage_contract_tests.rs"));
