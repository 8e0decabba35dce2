//! The accounts contract: every adapter must pass these (see `storage/contract.rs`).

use super::*;
use crate::storage::contract::secs;
use crate::storage::{StoreError, Stores, millis_precision};
use crate::storage::jobs::contract::new_job;
use time::OffsetDateTime;

pub(crate) fn user(id: &str, email: &str, now: OffsetDateTime) -> (UserRecord, OrgRecord) {
    let user = UserRecord {
        id: app::ids::UserId::new(id),
        email: email.into(),
        first_name: "Ana".into(),
        last_name: "Pérez".into(),
        password_hash: "$2b$12$hash".into(),
        lang: "es".into(),
        created_at: now,
        session_epoch: 0,
    };
    let org = OrgRecord { id: app::ids::OrgId::new(format!("org-{id}")), name: "Tienda Ñ".into(), created_at: now };
    (user, org)
}

pub async fn owners_are_created_with_their_organisation_and_emails_are_unique(s: Stores) {
    use app::accounts::model::Role;
    let now = millis_precision(OffsetDateTime::now_utc());
    let (u, o) = user("u1", "ana@tienda.mx", now);
    s.accounts.create_owner(&u, &o).await.unwrap();
    assert_eq!(s.accounts.user_by_email("ana@tienda.mx").await.unwrap().as_ref(), Some(&u));
    assert_eq!(s.accounts.user(&u.id).await.unwrap().as_ref(), Some(&u));
    assert_eq!(s.accounts.role_in(&o.id, &u.id).await.unwrap(), Some(Role::Owner));
    assert_eq!(s.accounts.role_in(&app::ids::OrgId::new("other"), &u.id).await.unwrap(), None);
    assert_eq!(s.accounts.memberships(&u.id).await.unwrap(), vec![MembershipRecord { org: o.clone(), role: Role::Owner }]);
    let (twin, twin_org) = user("u2", "ana@tienda.mx", now);
    assert!(matches!(s.accounts.create_owner(&twin, &twin_org).await, Err(StoreError::Duplicate)));
    assert!(s.accounts.user(&twin.id).await.unwrap().is_none());
    s.accounts.set_password_hash(&u.id, "$2b$12$new").await.unwrap();
    assert_eq!(s.accounts.user(&u.id).await.unwrap().unwrap().password_hash, "$2b$12$new");
    s.accounts.update_profile(&u.id, "Ana María", "Pérez López", "ar").await.unwrap();
    let updated = s.accounts.user(&u.id).await.unwrap().unwrap();
    assert_eq!(
        (updated.first_name.as_str(), updated.last_name.as_str(), updated.lang.as_str()),
        ("Ana María", "Pérez López", "ar")
    );
}

pub async fn sign_ins_and_failures_are_recorded(s: Stores) {
    let now = millis_precision(OffsetDateTime::now_utc());
    let uid = app::ids::UserId::new("u1");
    for (i, ip) in ["10.0.0.1", "10.0.0.2"].iter().enumerate() {
        let e = LoginEvent {
            id: format!("e{i}"),
            user_id: uid.clone(),
            at: now + secs(i as i64),
            ip: (*ip).into(),
            user_agent: "Firefox".into(),
        };
        s.accounts.record_login(&e).await.unwrap();
    }
    let recent = s.accounts.recent_logins(&uid, 10).await.unwrap();
    assert_eq!(recent.iter().map(|e| e.ip.as_str()).collect::<Vec<_>>(), vec!["10.0.0.2", "10.0.0.1"]);
    for i in 0..3 {
        s.accounts.record_attempt("acct:ana", now + secs(i)).await.unwrap();
    }
    assert_eq!(s.accounts.attempts_since("acct:ana", now + secs(1)).await.unwrap(), 2);
    assert_eq!(s.accounts.attempts_since("ip:1.2.3.4", now).await.unwrap(), 0);
    s.accounts.release_attempt("acct:ana", now + secs(2)).await.unwrap();
    assert_eq!(s.accounts.attempts_since("acct:ana", now).await.unwrap(), 2, "one attempt taken back");
    s.accounts.release_attempt("acct:ana", now + secs(9)).await.unwrap();
    assert_eq!(s.accounts.attempts_since("acct:ana", now).await.unwrap(), 2, "no attempt at that time");
    s.accounts.clear_attempts("acct:ana").await.unwrap();
    assert_eq!(s.accounts.attempts_since("acct:ana", now).await.unwrap(), 0);
}

pub async fn pending_registrations_are_taken_once_before_they_expire(s: Stores) {
    let now = millis_precision(OffsetDateTime::now_utc());
    let pending = |hash: &str, expires: i64| PendingRegistration {
        token_hash: hash.into(),
        email: "ana@tienda.mx".into(),
        first_name: "Ana".into(),
        last_name: "Pérez".into(),
        password_hash: "$2b$12$hash".into(),
        organisation: "Tienda Ñ".into(),
        lang: "es".into(),
        expires_at: now + secs(expires),
        used_at: None,
        created_at: now,
    };
    s.accounts.insert_registration(&pending("r1", 3600)).await.unwrap();
    s.accounts.insert_registration(&pending("r2", 10)).await.unwrap();
    let taken = s.accounts.take_registration("r1", now).await.unwrap().expect("live");
    assert_eq!((taken.organisation.as_str(), taken.used_at), ("Tienda Ñ", Some(now)));
    assert!(s.accounts.take_registration("r1", now).await.unwrap().is_none(), "single use");
    assert!(s.accounts.take_registration("r2", now + secs(10)).await.unwrap().is_none(), "expired");
    assert!(s.accounts.take_registration("nope", now).await.unwrap().is_none());
}

pub async fn retention_removes_finished_jobs_and_stale_sign_ups(s: Stores) {
    let now = millis_precision(OffsetDateTime::now_utc());
    let done = s.jobs.enqueue_job(&new_job("k", now, None)).await.unwrap();
    s.jobs.claim_job("w", now, now + secs(30)).await.unwrap();
    s.jobs.complete_job(&done, "w", now).await.unwrap();
    let dead = s.jobs.enqueue_job(&new_job("k", now, None)).await.unwrap();
    s.jobs.claim_job("w", now, now + secs(30)).await.unwrap();
    s.jobs.fail_job(&dead, "w", "boom", None, now).await.unwrap();
    let queued = s.jobs.enqueue_job(&new_job("k", now + secs(3600), None)).await.unwrap();
    assert_eq!(s.jobs.purge_done_jobs(now).await.unwrap(), 0, "only jobs finished before the cut-off");
    assert_eq!(s.jobs.purge_done_jobs(now + secs(1)).await.unwrap(), 1);
    assert!(s.jobs.job(&done).await.unwrap().is_none());
    assert!(s.jobs.job(&dead).await.unwrap().is_some() && s.jobs.job(&queued).await.unwrap().is_some());

    let pending = |hash: &str, expires: i64| PendingRegistration {
        token_hash: hash.into(),
        email: "a@b.co".into(),
        first_name: "A".into(),
        last_name: "B".into(),
        password_hash: "h".into(),
        organisation: "O".into(),
        lang: "en".into(),
        expires_at: now + secs(expires),
        used_at: None,
        created_at: now,
    };
    s.accounts.insert_registration(&pending("live", 3600)).await.unwrap();
    s.accounts.insert_registration(&pending("expired", -1)).await.unwrap();
    s.accounts.insert_registration(&pending("used", 3600)).await.unwrap();
    s.accounts.take_registration("used", now).await.unwrap();
    s.accounts.record_attempt("ip:1", now - secs(90_000)).await.unwrap();
    s.accounts.record_attempt("ip:1", now).await.unwrap();
    assert_eq!(s.accounts.purge_stale_sign_ups(now, now - secs(86_400)).await.unwrap(), 3);
    assert!(s.accounts.take_registration("live", now).await.unwrap().is_some());
    assert_eq!(s.accounts.attempts_since("ip:1", now - secs(100_000)).await.unwrap(), 1);
}

pub async fn a_password_change_moves_the_session_epoch_that_access_reads(s: Stores) {
    let now = millis_precision(OffsetDateTime::now_utc());
    let (user, org) = user("epoch", "epoch@example.com", now);
    s.accounts.create_owner(&user, &org).await.unwrap();
    let access = s.accounts.access(&org.id, &user.id).await.unwrap().unwrap();
    assert_eq!((access.role, access.session_epoch), (app::accounts::model::Role::Owner, 0));
    s.accounts.set_password_hash(&user.id, "$2b$10$new").await.unwrap();
    s.accounts.set_password_hash(&user.id, "$2b$10$newer").await.unwrap();
    assert_eq!(s.accounts.access(&org.id, &user.id).await.unwrap().unwrap().session_epoch, 2);
    assert_eq!(s.accounts.user(&user.id).await.unwrap().unwrap().session_epoch, 2);
    assert!(s.accounts.access(&app::ids::OrgId::new("elsewhere"), &user.id).await.unwrap().is_none());
}

pub async fn a_pending_registration_can_be_read_without_taking_it(s: Stores) {
    let now = millis_precision(OffsetDateTime::now_utc());
    let pending = PendingRegistration {
        token_hash: "peek".into(),
        email: "peek@example.com".into(),
        first_name: "Ana".into(),
        last_name: "Pérez".into(),
        password_hash: "$2b$10$x".into(),
        organisation: "Tienda".into(),
        lang: "es".into(),
        expires_at: now + secs(60),
        used_at: None,
        created_at: now,
    };
    s.accounts.insert_registration(&pending).await.unwrap();
    assert_eq!(s.accounts.registration("peek", now).await.unwrap(), Some(pending.clone()));
    assert_eq!(s.accounts.registration("peek", now).await.unwrap(), Some(pending), "reading takes nothing");
    assert!(s.accounts.registration("peek", now + secs(61)).await.unwrap().is_none(), "expired");
    s.accounts.take_registration("peek", now).await.unwrap().unwrap();
    assert!(s.accounts.registration("peek", now).await.unwrap().is_none(), "used");
}
