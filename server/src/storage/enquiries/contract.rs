//! The enquiries contract: every adapter must pass these (see `storage/contract.rs`).

use super::*;
use crate::storage::Stores;
use app::enquiries::model::Enquiry;
use app::i18n::Lang;
use time::OffsetDateTime;

pub(crate) fn message(n: u8, at: OffsetDateTime) -> StoredEnquiry {
    StoredEnquiry {
        id: format!("msg-{n}"),
        message: Enquiry {
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

pub async fn contact_messages_round_trip_newest_first(s: Stores) {
    let t0 = OffsetDateTime::now_utc();
    for n in 0..3u8 {
        s.enquiries.insert_enquiry(&message(n, t0 + time::Duration::seconds(n as i64))).await.unwrap();
    }
    let got = s.enquiries.recent_enquiries(2).await.unwrap();
    assert_eq!(got, vec![message(2, t0 + time::Duration::seconds(2)), message(1, t0 + time::Duration::seconds(1))]);
}

pub async fn duplicate_ids_are_refused_and_keep_the_first(s: Stores) {
    let t0 = OffsetDateTime::now_utc();
    s.enquiries.insert_enquiry(&message(1, t0)).await.unwrap();
    let mut other = message(1, t0);
    other.message.name = "Someone else".into();
    assert!(s.enquiries.insert_enquiry(&other).await.is_err());
    assert_eq!(s.enquiries.recent_enquiries(10).await.unwrap(), vec![message(1, t0)]);
}
