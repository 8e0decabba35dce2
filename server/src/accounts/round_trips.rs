//! What a signed-in call costs in trips to the database: authenticating is one (the session's
//! member and role in a single query), the work itself is the rest.

use super::AccountService;
use super::session::Signer;
use crate::storage::accounts::{OrgRecord, UserRecord};
use crate::storage::{Stores, millis_precision};
use app::accounts::port::{Accounts, Credential};
use app::ids::{OrgId, UserId};
use base64::Engine;
use secrecy::SecretString;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use time::OffsetDateTime;

/// The same calls, counted on the given store.
async fn assert_two_trips(store: Stores, trips: Arc<AtomicU64>) {
    let now = millis_precision(OffsetDateTime::now_utc());
    let user = UserRecord {
        id: UserId::new("u1"),
        email: "ana@example.com".into(),
        first_name: "Ana".into(),
        last_name: "Pérez".into(),
        password_hash: String::new(),
        lang: "en".into(),
        created_at: now,
        session_epoch: 0,
    };
    let org = OrgRecord { id: OrgId::new("o1"), name: "Tienda".into(), created_at: now };
    store.accounts.create_owner(&user, &org).await.unwrap();
    let key = SecretString::from(base64::engine::general_purpose::STANDARD.encode([7u8; 32]));
    let keyring = Arc::new(crate::crypto::Keyring::parse(&crate::crypto::Keyring::generate_spec("k")).unwrap());
    let service = AccountService::new((&store).into(), Signer::new(&key), 10, keyring, "http://127.0.0.1".into());
    let viewer = service.member(&user.id, Some(&org.id)).await.unwrap().unwrap();
    let session = service.start(viewer, None).await.unwrap();

    for credential in
        [Credential::Session(session.refresh_token.clone()), Credential::Bearer(session.grant.access_token)]
    {
        let before = trips.load(Ordering::SeqCst);
        let caller = service.authenticate(credential).await.unwrap();
        assert_eq!(trips.load(Ordering::SeqCst) - before, 1, "authenticating takes one trip");
        assert_eq!((caller.user_id.as_str(), caller.org_id.as_str()), ("u1", "o1"));
        service.update_profile(&caller, "Ana María", "Pérez", "es").await.unwrap();
        assert_eq!(trips.load(Ordering::SeqCst) - before, 2, "and the update one more");
    }
}

#[tokio::test]
async fn a_profile_update_costs_one_trip_to_authenticate_and_one_to_write() {
    let dir = tempfile::tempdir().unwrap();
    let trips = Arc::new(AtomicU64::new(0));
    let store = Stores::sqlite_counting(&dir.path().join("trips.db"), trips.clone()).await.unwrap();
    assert_two_trips(store, trips).await;
}

/// On MongoDB a trip is a command the driver starts (counted by its command monitoring).
#[tokio::test]
async fn on_mongodb_too() {
    let Ok(uri) = std::env::var("ADRONX_TEST_MONGODB_URI") else {
        eprintln!("ADRONX_TEST_MONGODB_URI is not set: skipped");
        return;
    };
    let trips = Arc::new(AtomicU64::new(0));
    let mut options = mongodb::options::ClientOptions::parse(&uri).await.unwrap();
    let counter = trips.clone();
    options.command_event_handler = Some(mongodb::event::EventHandler::callback(move |e| {
        if matches!(e, mongodb::event::command::CommandEvent::Started(_)) {
            counter.fetch_add(1, Ordering::SeqCst);
        }
    }));
    let client = mongodb::Client::with_options(options).unwrap();
    let db = client.database(&format!("adronx_trips_{}", uuid::Uuid::new_v4().simple()));
    assert_two_trips(Stores::mongo(db).await.unwrap(), trips).await;
}
