//! The contract every storage adapter must pass. Each test takes a fresh, empty store; the
//! embedded adapter runs it always (see the bottom of this file).

use super::{DynStore, StoredContactMessage};
use app::contact::model::ContactMessage;
use app::i18n::Lang;
use time::OffsetDateTime;

fn message(n: u8, at: OffsetDateTime) -> StoredContactMessage {
    StoredContactMessage {
        id: format!("msg-{n}"),
        message: ContactMessage {
            name: format!("Név {n} — ليلى"),
            email: format!("p{n}@example.com"),
            company: n.is_multiple_of(2).then(|| "Tienda Ñ".to_owned()),
            message: "Hello, we would like a demo of the inbox.".into(),
            lang: Lang::Ar,
        },
        // Whole seconds: every adapter must round-trip what it is given exactly.
        received_at: at.replace_nanosecond(0).unwrap(),
    }
}

pub async fn answers_ping(store: DynStore) {
    store.ping().await.unwrap();
}

pub async fn contact_messages_round_trip_newest_first(store: DynStore) {
    let t0 = OffsetDateTime::now_utc();
    for n in 0..3u8 {
        store.insert_contact_message(&message(n, t0 + time::Duration::seconds(n as i64))).await.unwrap();
    }
    let got = store.recent_contact_messages(2).await.unwrap();
    assert_eq!(got, vec![message(2, t0 + time::Duration::seconds(2)), message(1, t0 + time::Duration::seconds(1))]);
}

pub async fn duplicate_ids_are_refused_and_keep_the_first(store: DynStore) {
    let t0 = OffsetDateTime::now_utc();
    store.insert_contact_message(&message(1, t0)).await.unwrap();
    let mut other = message(1, t0);
    other.message.name = "Someone else".into();
    assert!(store.insert_contact_message(&other).await.is_err());
    assert_eq!(store.recent_contact_messages(10).await.unwrap(), vec![message(1, t0)]);
}

/// Runs every contract test against stores made by `fresh`.
#[macro_export]
macro_rules! storage_contract {
    ($fresh:expr) => {
        #[tokio::test]
        async fn answers_ping() {
            $crate::storage::contract::answers_ping($fresh.await).await
        }
        #[tokio::test]
        async fn contact_messages_round_trip_newest_first() {
            $crate::storage::contract::contact_messages_round_trip_newest_first($fresh.await).await
        }
        #[tokio::test]
        async fn duplicate_ids_are_refused_and_keep_the_first() {
            $crate::storage::contract::duplicate_ids_are_refused_and_keep_the_first($fresh.await).await
        }
    };
}

mod embedded {
    use crate::storage::{DynStore, SqliteStore};
    use std::sync::Arc;

    async fn fresh() -> DynStore {
        let dir = tempfile::tempdir().unwrap().keep();
        Arc::new(SqliteStore::open(&dir.join("contract.db")).await.unwrap())
    }

    crate::storage_contract!(fresh());
}
