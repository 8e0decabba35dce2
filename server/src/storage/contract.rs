//! The contract every storage adapter must pass. Each test takes a fresh, empty store; the
//! embedded adapter runs it always (see the bottom of this file).

use super::*;
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

fn new_job(kind: &str, run_at: OffsetDateTime, key: Option<&str>) -> NewJob {
    NewJob {
        kind: kind.into(),
        payload: serde_json::json!({"n": 1, "text": "héllo"}),
        run_at,
        idempotency_key: key.map(str::to_owned),
        max_attempts: 3,
    }
}

fn secs(n: i64) -> time::Duration {
    time::Duration::seconds(n)
}

pub async fn jobs_are_claimed_once_and_completed(store: DynStore) {
    let now = millis_precision(OffsetDateTime::now_utc());
    let id = store.enqueue_job(&new_job("email.send", now, None)).await.unwrap();
    let job = store.claim_job("w1", now, now + secs(30)).await.unwrap().expect("a due job");
    assert_eq!((job.id.as_str(), job.attempts, job.status), (id.as_str(), 1, JobStatus::Running));
    assert_eq!(job.payload["text"], "héllo");
    assert_eq!(job.lease_until, Some(now + secs(30)));
    assert!(store.claim_job("w2", now, now + secs(30)).await.unwrap().is_none(), "leased jobs are not claimed again");
    assert!(!store.complete_job(&id, "w2", now).await.unwrap(), "only the holder completes");
    assert!(store.complete_job(&id, "w1", now).await.unwrap());
    assert_eq!(store.job(&id).await.unwrap().unwrap().status, JobStatus::Done);
    assert!(store.claim_job("w1", now + secs(100), now + secs(130)).await.unwrap().is_none());
}

pub async fn future_jobs_wait_and_idempotency_keys_deduplicate(store: DynStore) {
    let now = millis_precision(OffsetDateTime::now_utc());
    let a = store.enqueue_job(&new_job("k", now + secs(60), Some("purge:1"))).await.unwrap();
    let b = store.enqueue_job(&new_job("k", now, Some("purge:1"))).await.unwrap();
    assert_eq!(a, b);
    assert!(store.claim_job("w", now, now + secs(30)).await.unwrap().is_none(), "not due yet");
    let job = store.claim_job("w", now + secs(61), now + secs(90)).await.unwrap().unwrap();
    assert_eq!(job.id, a);
}

pub async fn an_expired_lease_lets_another_worker_finish_the_job(store: DynStore) {
    let now = millis_precision(OffsetDateTime::now_utc());
    let id = store.enqueue_job(&new_job("k", now, None)).await.unwrap();
    store.claim_job("dead-worker", now, now + secs(10)).await.unwrap().unwrap();
    assert!(store.heartbeat_job(&id, "dead-worker", now + secs(20)).await.unwrap());
    let again = store.claim_job("w2", now + secs(21), now + secs(51)).await.unwrap().expect("lease expired");
    assert_eq!((again.attempts, again.locked_by.as_deref()), (2, Some("w2")));
    assert!(!store.heartbeat_job(&id, "dead-worker", now + secs(60)).await.unwrap(), "the old holder lost it");
    assert!(!store.complete_job(&id, "dead-worker", now).await.unwrap());
    assert!(store.complete_job(&id, "w2", now).await.unwrap());
}

pub async fn failures_retry_then_dead_letter_and_releases_do_not_count(store: DynStore) {
    let now = millis_precision(OffsetDateTime::now_utc());
    let id = store.enqueue_job(&new_job("k", now, None)).await.unwrap();
    store.claim_job("w", now, now + secs(30)).await.unwrap().unwrap();
    assert!(store.fail_job(&id, "w", "smtp 451", Some(now + secs(5)), now).await.unwrap());
    let job = store.job(&id).await.unwrap().unwrap();
    assert_eq!(
        (job.status, job.run_at, job.last_error.as_deref()),
        (JobStatus::Queued, now + secs(5), Some("smtp 451"))
    );
    assert!(store.claim_job("w", now + secs(1), now + secs(31)).await.unwrap().is_none(), "waits for its backoff");
    store.claim_job("w", now + secs(5), now + secs(35)).await.unwrap().unwrap();
    assert!(store.release_job(&id, "w", now + secs(6)).await.unwrap());
    assert_eq!(store.job(&id).await.unwrap().unwrap().attempts, 1, "a release gives the attempt back");
    let job = store.claim_job("w", now + secs(6), now + secs(36)).await.unwrap().unwrap();
    assert_eq!(job.attempts, 2);
    assert!(store.fail_job(&id, "w", "permanent", None, now + secs(7)).await.unwrap());
    let dead = store.dead_jobs(10).await.unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!((dead[0].id.as_str(), dead[0].status), (id.as_str(), JobStatus::Dead));
    assert!(store.claim_job("w", now + secs(100), now + secs(130)).await.unwrap().is_none());
}

pub async fn concurrent_claimers_never_share_a_job(store: DynStore) {
    let now = millis_precision(OffsetDateTime::now_utc());
    for _ in 0..40 {
        store.enqueue_job(&new_job("k", now, None)).await.unwrap();
    }
    let mut tasks = vec![];
    for w in 0..8 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut got = vec![];
            while let Some(job) = store.claim_job(&format!("w{w}"), now, now + secs(30)).await.unwrap() {
                got.push(job.id);
            }
            got
        }));
    }
    let mut all = vec![];
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let unique: std::collections::HashSet<_> = all.iter().collect();
    assert_eq!((all.len(), unique.len()), (40, 40));
}

pub async fn purging_removes_dead_tokens_and_keeps_live_ones(store: DynStore) {
    let now = millis_precision(OffsetDateTime::now_utc());
    let refresh = |hash: &str, expires: time::Duration, revoked: bool| RefreshTokenRecord {
        revoked_at: revoked.then_some(now),
        ..refresh_token(hash, "f", now + expires, now)
    };
    let reset = |hash: &str, expires: time::Duration, used: bool| ResetTokenRecord {
        token_hash: hash.into(),
        user_id: "u".into(),
        expires_at: now + expires,
        used_at: used.then_some(now),
        created_at: now,
    };
    store.insert_refresh_token(&refresh("live", secs(3600), false)).await.unwrap();
    store.insert_refresh_token(&refresh("expired", secs(-1), false)).await.unwrap();
    store.insert_refresh_token(&refresh("revoked", secs(3600), true)).await.unwrap();
    store.insert_reset_token(&reset("live", secs(600), false)).await.unwrap();
    store.insert_reset_token(&reset("used", secs(600), true)).await.unwrap();
    store.insert_reset_token(&reset("expired", secs(-1), false)).await.unwrap();
    assert!(matches!(store.insert_reset_token(&reset("live", secs(1), false)).await, Err(StoreError::Duplicate)));
    assert_eq!(store.purge_tokens(now).await.unwrap(), PurgeCounts { refresh_tokens: 2, reset_tokens: 2 });
    assert_eq!(store.purge_tokens(now).await.unwrap(), PurgeCounts::default());
}

fn refresh_token(hash: &str, family: &str, expires_at: OffsetDateTime, now: OffsetDateTime) -> RefreshTokenRecord {
    RefreshTokenRecord {
        token_hash: hash.into(),
        user_id: "u1".into(),
        family_id: family.into(),
        org_id: Some(app::ids::OrgId::new("o1")),
        expires_at,
        used_at: None,
        revoked_at: None,
        created_at: now,
    }
}

pub async fn refresh_tokens_are_used_once_and_families_revoke_together(store: DynStore) {
    let now = millis_precision(OffsetDateTime::now_utc());
    store.insert_refresh_token(&refresh_token("a", "fam", now + secs(3600), now)).await.unwrap();
    store.insert_refresh_token(&refresh_token("b", "fam", now + secs(3600), now)).await.unwrap();
    store.insert_refresh_token(&refresh_token("old", "fam2", now + secs(10), now)).await.unwrap();
    let used = store.use_refresh_token("a", now).await.unwrap().expect("a live token");
    assert_eq!((used.used_at, used.org_id.as_ref().map(|o| o.as_str())), (Some(now), Some("o1")));
    assert!(store.use_refresh_token("a", now).await.unwrap().is_none(), "a second use fails");
    assert_eq!(store.refresh_token("a").await.unwrap().unwrap().used_at, Some(now), "kept to recognise replays");
    assert!(store.use_refresh_token("old", now + secs(10)).await.unwrap().is_none(), "expired");
    assert!(store.use_refresh_token("nope", now).await.unwrap().is_none());
    assert_eq!(store.revoke_refresh_family("fam", now).await.unwrap(), 2);
    assert!(store.use_refresh_token("b", now).await.unwrap().is_none(), "revoked with its family");
    store.insert_refresh_token(&refresh_token("c", "fam3", now + secs(3600), now)).await.unwrap();
    assert_eq!(store.revoke_user_refresh_tokens(&app::ids::UserId::new("u1"), now).await.unwrap(), 2);
}

pub async fn concurrent_uses_of_one_refresh_token_have_one_winner(store: DynStore) {
    let now = millis_precision(OffsetDateTime::now_utc());
    store.insert_refresh_token(&refresh_token("t", "f", now + secs(3600), now)).await.unwrap();
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.use_refresh_token("t", now).await.unwrap().is_some() })
        })
        .collect();
    let mut winners = 0;
    for t in tasks {
        winners += t.await.unwrap() as usize;
    }
    assert_eq!(winners, 1);
}

pub async fn reset_tokens_are_single_use_and_a_newer_request_voids_older(store: DynStore) {
    let now = millis_precision(OffsetDateTime::now_utc());
    let reset = |hash: &str, expires: i64| ResetTokenRecord {
        token_hash: hash.into(),
        user_id: "u1".into(),
        expires_at: now + secs(expires),
        used_at: None,
        created_at: now,
    };
    store.insert_reset_token(&reset("r1", 3600)).await.unwrap();
    assert!(store.use_reset_token("r1", now).await.unwrap().is_some());
    assert!(store.use_reset_token("r1", now).await.unwrap().is_none());
    store.insert_reset_token(&reset("r2", 3600)).await.unwrap();
    store.void_reset_tokens(&app::ids::UserId::new("u1"), now).await.unwrap();
    store.insert_reset_token(&reset("r3", 3600)).await.unwrap();
    assert!(store.use_reset_token("r2", now).await.unwrap().is_none(), "voided by the newer request");
    assert!(store.use_reset_token("r3", now + secs(3600)).await.unwrap().is_none(), "expired after an hour");
    assert!(store.use_reset_token("r3", now + secs(3599)).await.unwrap().is_some());
}

fn user(id: &str, email: &str, now: OffsetDateTime) -> (UserRecord, OrgRecord) {
    let user = UserRecord {
        id: app::ids::UserId::new(id),
        email: email.into(),
        first_name: "Ana".into(),
        last_name: "Pérez".into(),
        password_hash: "$2b$12$hash".into(),
        lang: "es".into(),
        created_at: now,
    };
    let org = OrgRecord { id: app::ids::OrgId::new(format!("org-{id}")), name: "Tienda Ñ".into(), created_at: now };
    (user, org)
}

pub async fn owners_are_created_with_their_organisation_and_emails_are_unique(store: DynStore) {
    use app::accounts::model::Role;
    let now = millis_precision(OffsetDateTime::now_utc());
    let (u, o) = user("u1", "ana@tienda.mx", now);
    store.create_owner(&u, &o).await.unwrap();
    assert_eq!(store.user_by_email("ana@tienda.mx").await.unwrap().as_ref(), Some(&u));
    assert_eq!(store.user(&u.id).await.unwrap().as_ref(), Some(&u));
    assert_eq!(store.role_in(&o.id, &u.id).await.unwrap(), Some(Role::Owner));
    assert_eq!(store.role_in(&app::ids::OrgId::new("other"), &u.id).await.unwrap(), None);
    assert_eq!(store.memberships(&u.id).await.unwrap(), vec![MembershipRecord { org: o.clone(), role: Role::Owner }]);
    let (twin, twin_org) = user("u2", "ana@tienda.mx", now);
    assert!(matches!(store.create_owner(&twin, &twin_org).await, Err(StoreError::Duplicate)));
    assert!(store.user(&twin.id).await.unwrap().is_none());
    store.set_password_hash(&u.id, "$2b$12$new").await.unwrap();
    assert_eq!(store.user(&u.id).await.unwrap().unwrap().password_hash, "$2b$12$new");
    store.update_profile(&u.id, "Ana María", "Pérez López", "ar").await.unwrap();
    let updated = store.user(&u.id).await.unwrap().unwrap();
    assert_eq!(
        (updated.first_name.as_str(), updated.last_name.as_str(), updated.lang.as_str()),
        ("Ana María", "Pérez López", "ar")
    );
}

pub async fn sign_ins_and_failures_are_recorded(store: DynStore) {
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
        store.record_login(&e).await.unwrap();
    }
    let recent = store.recent_logins(&uid, 10).await.unwrap();
    assert_eq!(recent.iter().map(|e| e.ip.as_str()).collect::<Vec<_>>(), vec!["10.0.0.2", "10.0.0.1"]);
    for i in 0..3 {
        store.record_login_failure("acct:ana", now + secs(i)).await.unwrap();
    }
    assert_eq!(store.login_failures_since("acct:ana", now + secs(1)).await.unwrap(), 2);
    assert_eq!(store.login_failures_since("ip:1.2.3.4", now).await.unwrap(), 0);
    store.clear_login_failures("acct:ana").await.unwrap();
    assert_eq!(store.login_failures_since("acct:ana", now).await.unwrap(), 0);
}

pub async fn members_join_change_role_and_leave_within_their_organisation(store: DynStore) {
    use app::accounts::model::Role;
    let now = millis_precision(OffsetDateTime::now_utc());
    let (owner, org) = user("u1", "ana@tienda.mx", now);
    store.create_owner(&owner, &org).await.unwrap();
    let (newcomer, _) = user("u2", "luis@tienda.mx", now);
    store.create_user(&newcomer).await.unwrap();
    assert!(store.memberships(&newcomer.id).await.unwrap().is_empty());
    store.add_member(&org.id, &newcomer.id, Role::Member, now + secs(1)).await.unwrap();
    assert!(matches!(store.add_member(&org.id, &newcomer.id, Role::Admin, now).await, Err(StoreError::Duplicate)));
    let members = store.members(&org.id).await.unwrap();
    assert_eq!(
        members.iter().map(|(u, r)| (u.email.as_str(), *r)).collect::<Vec<_>>(),
        vec![("ana@tienda.mx", Role::Owner), ("luis@tienda.mx", Role::Member)]
    );
    let elsewhere = app::ids::OrgId::new("another-org");
    assert!(!store.set_role(&elsewhere, &newcomer.id, Role::Admin).await.unwrap(), "scoped by organisation");
    assert!(store.set_role(&org.id, &newcomer.id, Role::Admin).await.unwrap());
    assert_eq!(store.role_in(&org.id, &newcomer.id).await.unwrap(), Some(Role::Admin));
    assert!(!store.remove_member(&elsewhere, &newcomer.id).await.unwrap());
    assert!(store.remove_member(&org.id, &newcomer.id).await.unwrap());
    assert_eq!(store.role_in(&org.id, &newcomer.id).await.unwrap(), None);
}

pub async fn invitations_are_single_use_scoped_and_renewable(store: DynStore) {
    use app::accounts::model::Role;
    let now = millis_precision(OffsetDateTime::now_utc());
    let (owner, org) = user("u1", "ana@tienda.mx", now);
    store.create_owner(&owner, &org).await.unwrap();
    let invite = |id: &str, hash: &str, expires: i64| InvitationRecord {
        id: id.into(),
        org_id: org.id.clone(),
        email: "luis@tienda.mx".into(),
        role: Role::Member,
        token_hash: hash.into(),
        invited_by: owner.id.clone(),
        expires_at: now + secs(expires),
        accepted_at: None,
        revoked_at: None,
        created_at: now,
    };
    store.create_invitation(&invite("i1", "h1", 3600)).await.unwrap();
    store.create_invitation(&invite("i2", "h2", 3600)).await.unwrap();
    store.create_invitation(&invite("i3", "h3", 10)).await.unwrap();
    assert_eq!(store.pending_invitations(&org.id, now + secs(20)).await.unwrap().len(), 2, "i3 expired");
    assert_eq!(store.invitation_by_token("h1").await.unwrap().unwrap().id, "i1");
    let accepted = store.accept_invitation("h1", now).await.unwrap().expect("pending");
    assert_eq!(accepted.accepted_at, Some(now));
    assert!(store.accept_invitation("h1", now).await.unwrap().is_none(), "single use");
    let other = app::ids::OrgId::new("another-org");
    assert!(!store.revoke_invitation(&other, "i2", now).await.unwrap(), "scoped by organisation");
    let renewed = store.renew_invitation(&org.id, "i2", "h2-new", now + secs(7200), now).await.unwrap().unwrap();
    assert_eq!((renewed.token_hash.as_str(), renewed.expires_at), ("h2-new", now + secs(7200)));
    assert!(store.accept_invitation("h2", now).await.unwrap().is_none(), "the old link stops working");
    assert!(store.revoke_invitation(&org.id, "i2", now).await.unwrap());
    assert!(store.accept_invitation("h2-new", now).await.unwrap().is_none(), "revoked");
    assert!(store.accept_invitation("h3", now + secs(11)).await.unwrap().is_none(), "expired");
    assert!(store.pending_invitations(&org.id, now).await.unwrap().iter().all(|i| i.id == "i3"));
}

pub async fn pending_registrations_are_taken_once_before_they_expire(store: DynStore) {
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
    store.insert_registration(&pending("r1", 3600)).await.unwrap();
    store.insert_registration(&pending("r2", 10)).await.unwrap();
    let taken = store.take_registration("r1", now).await.unwrap().expect("live");
    assert_eq!((taken.organisation.as_str(), taken.used_at), ("Tienda Ñ", Some(now)));
    assert!(store.take_registration("r1", now).await.unwrap().is_none(), "single use");
    assert!(store.take_registration("r2", now + secs(10)).await.unwrap().is_none(), "expired");
    assert!(store.take_registration("nope", now).await.unwrap().is_none());
}

pub async fn retention_removes_finished_jobs_and_stale_sign_ups(store: DynStore) {
    let now = millis_precision(OffsetDateTime::now_utc());
    let done = store.enqueue_job(&new_job("k", now, None)).await.unwrap();
    store.claim_job("w", now, now + secs(30)).await.unwrap();
    store.complete_job(&done, "w", now).await.unwrap();
    let dead = store.enqueue_job(&new_job("k", now, None)).await.unwrap();
    store.claim_job("w", now, now + secs(30)).await.unwrap();
    store.fail_job(&dead, "w", "boom", None, now).await.unwrap();
    let queued = store.enqueue_job(&new_job("k", now + secs(3600), None)).await.unwrap();
    assert_eq!(store.purge_done_jobs(now).await.unwrap(), 0, "only jobs finished before the cut-off");
    assert_eq!(store.purge_done_jobs(now + secs(1)).await.unwrap(), 1);
    assert!(store.job(&done).await.unwrap().is_none());
    assert!(store.job(&dead).await.unwrap().is_some() && store.job(&queued).await.unwrap().is_some());

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
    store.insert_registration(&pending("live", 3600)).await.unwrap();
    store.insert_registration(&pending("expired", -1)).await.unwrap();
    store.insert_registration(&pending("used", 3600)).await.unwrap();
    store.take_registration("used", now).await.unwrap();
    store.record_login_failure("ip:1", now - secs(90_000)).await.unwrap();
    store.record_login_failure("ip:1", now).await.unwrap();
    assert_eq!(store.purge_stale_sign_ups(now, now - secs(86_400)).await.unwrap(), 3);
    assert!(store.take_registration("live", now).await.unwrap().is_some());
    assert_eq!(store.login_failures_since("ip:1", now - secs(100_000)).await.unwrap(), 1);
}

/// Runs every contract test against stores made by `fresh`.
#[macro_export]
macro_rules! storage_contract {
    ($fresh:expr) => {
        // `#[cfg(all())]` is the no-op attribute for suites that always run.
        $crate::storage_contract!(@all #[cfg(all())] $fresh);
    };
    (ignore = $why:literal, $fresh:expr) => {
        $crate::storage_contract!(@all #[ignore = $why] $fresh);
    };
    (@all #[$attr:meta] $fresh:expr) => {
        $crate::storage_contract!(@tests #[$attr] $fresh;
            answers_ping,
            contact_messages_round_trip_newest_first,
            duplicate_ids_are_refused_and_keep_the_first,
            jobs_are_claimed_once_and_completed,
            future_jobs_wait_and_idempotency_keys_deduplicate,
            an_expired_lease_lets_another_worker_finish_the_job,
            failures_retry_then_dead_letter_and_releases_do_not_count,
            concurrent_claimers_never_share_a_job,
            purging_removes_dead_tokens_and_keeps_live_ones,
            refresh_tokens_are_used_once_and_families_revoke_together,
            concurrent_uses_of_one_refresh_token_have_one_winner,
            reset_tokens_are_single_use_and_a_newer_request_voids_older,
            owners_are_created_with_their_organisation_and_emails_are_unique,
            sign_ins_and_failures_are_recorded,
            members_join_change_role_and_leave_within_their_organisation,
            invitations_are_single_use_scoped_and_renewable,
            pending_registrations_are_taken_once_before_they_expire,
            retention_removes_finished_jobs_and_stale_sign_ups
        );
    };
    (@tests #[$attr:meta] $fresh:expr; $($name:ident),*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[$attr]
            async fn $name() {
                $crate::storage::contract::$name($fresh.await).await
            }
        )*
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

/// MongoDB cannot be installed on the project's machines: these run (with `--ignored`) wherever
/// `ADRONX_TEST_MONGODB_URI` points at a server; `make test` does that when it is set.
mod mongodb {
    use crate::storage::{DynStore, MongoStore};
    use std::sync::Arc;

    async fn fresh() -> DynStore {
        let uri = std::env::var("ADRONX_TEST_MONGODB_URI").expect("ADRONX_TEST_MONGODB_URI");
        let client = ::mongodb::Client::with_uri_str(&uri).await.unwrap();
        // A database per test, so tests run in parallel without seeing each other.
        let db = client.database(&format!("adronx_contract_{}", uuid::Uuid::new_v4().simple()));
        Arc::new(MongoStore::with_database(db).await.unwrap())
    }

    crate::storage_contract!(ignore = "needs ADRONX_TEST_MONGODB_URI", fresh());
}
