//! The tokens contract: every adapter must pass these (see `storage/contract.rs`).

use super::*;
use crate::storage::contract::secs;
use crate::storage::{StoreError, Stores, millis_precision};
use app::accounts::model::Role;
use app::ids::OrgId;
use time::OffsetDateTime;

pub async fn purging_removes_dead_tokens_and_keeps_live_ones(s: Stores) {
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
    s.tokens.insert_refresh_token(&refresh("live", secs(3600), false)).await.unwrap();
    s.tokens.insert_refresh_token(&refresh("expired", secs(-1), false)).await.unwrap();
    s.tokens.insert_refresh_token(&refresh("revoked", secs(3600), true)).await.unwrap();
    s.tokens.insert_reset_token(&reset("live", secs(600), false)).await.unwrap();
    s.tokens.insert_reset_token(&reset("used", secs(600), true)).await.unwrap();
    s.tokens.insert_reset_token(&reset("expired", secs(-1), false)).await.unwrap();
    assert!(matches!(s.tokens.insert_reset_token(&reset("live", secs(1), false)).await, Err(StoreError::Duplicate)));
    assert_eq!(s.tokens.purge_tokens(now).await.unwrap(), PurgeCounts { refresh_tokens: 2, reset_tokens: 2 });
    assert_eq!(s.tokens.purge_tokens(now).await.unwrap(), PurgeCounts::default());
}

pub(crate) fn refresh_token(hash: &str, family: &str, expires_at: OffsetDateTime, now: OffsetDateTime) -> RefreshTokenRecord {
    RefreshTokenRecord {
        token_hash: hash.into(),
        user_id: "u1".into(),
        family_id: family.into(),
        org_id: Some(app::ids::OrgId::new("o1")),
        expires_at,
        used_at: None,
        revoked_at: None,
        created_at: now,
        successor: None,
        epoch: 0,
    }
}

pub async fn refresh_tokens_are_used_once_and_families_revoke_together(s: Stores) {
    let now = millis_precision(OffsetDateTime::now_utc());
    s.tokens.insert_refresh_token(&refresh_token("a", "fam", now + secs(3600), now)).await.unwrap();
    s.tokens.insert_refresh_token(&refresh_token("b", "fam", now + secs(3600), now)).await.unwrap();
    s.tokens.insert_refresh_token(&refresh_token("old", "fam2", now + secs(10), now)).await.unwrap();
    let used = s.tokens.use_refresh_token("a", now, "sealed-next").await.unwrap().expect("a live token");
    assert_eq!((used.used_at, used.org_id.as_ref().map(|o| o.as_str())), (Some(now), Some("o1")));
    assert!(s.tokens.use_refresh_token("a", now, "sealed-next").await.unwrap().is_none(), "a second use fails");
    let spent = s.tokens.refresh_token("a").await.unwrap().unwrap();
    assert_eq!(spent.used_at, Some(now), "kept to recognise replays");
    assert_eq!(spent.successor.as_deref(), Some("sealed-next"), "and to hand its successor to a second tab");
    assert!(s.tokens.use_refresh_token("old", now + secs(10), "x").await.unwrap().is_none(), "expired");
    assert!(s.tokens.use_refresh_token("nope", now, "x").await.unwrap().is_none());
    assert_eq!(s.tokens.revoke_refresh_family("fam", now, now + secs(3600)).await.unwrap(), 2);
    assert!(s.tokens.use_refresh_token("b", now, "x").await.unwrap().is_none(), "revoked with its family");
    s.tokens.insert_refresh_token(&refresh_token("c", "fam3", now + secs(3600), now)).await.unwrap();
    assert_eq!(s.tokens.revoke_user_refresh_tokens(&app::ids::UserId::new("u1"), now).await.unwrap(), 2);
}

pub async fn concurrent_uses_of_one_refresh_token_have_one_winner(s: Stores) {
    let now = millis_precision(OffsetDateTime::now_utc());
    s.tokens.insert_refresh_token(&refresh_token("t", "f", now + secs(3600), now)).await.unwrap();
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let s = s.clone();
            tokio::spawn(async move { s.tokens.use_refresh_token("t", now, "x").await.unwrap().is_some() })
        })
        .collect();
    let mut winners = 0;
    for t in tasks {
        winners += t.await.unwrap() as usize;
    }
    assert_eq!(winners, 1);
}

pub async fn reset_tokens_are_single_use_and_a_newer_request_voids_older(s: Stores) {
    let now = millis_precision(OffsetDateTime::now_utc());
    let reset = |hash: &str, expires: i64| ResetTokenRecord {
        token_hash: hash.into(),
        user_id: "u1".into(),
        expires_at: now + secs(expires),
        used_at: None,
        created_at: now,
    };
    s.tokens.insert_reset_token(&reset("r1", 3600)).await.unwrap();
    assert!(s.tokens.use_reset_token("r1", now).await.unwrap().is_some());
    assert!(s.tokens.use_reset_token("r1", now).await.unwrap().is_none());
    s.tokens.insert_reset_token(&reset("r2", 3600)).await.unwrap();
    s.tokens.void_reset_tokens(&app::ids::UserId::new("u1"), now).await.unwrap();
    s.tokens.insert_reset_token(&reset("r3", 3600)).await.unwrap();
    assert!(s.tokens.use_reset_token("r2", now).await.unwrap().is_none(), "voided by the newer request");
    assert!(s.tokens.use_reset_token("r3", now + secs(3600)).await.unwrap().is_none(), "expired after an hour");
    assert!(s.tokens.use_reset_token("r3", now + secs(3599)).await.unwrap().is_some());
}

pub async fn a_live_session_names_its_member_and_role_in_one_call(s: Stores) {
    let now = millis_precision(OffsetDateTime::now_utc());
    let (user, org) = crate::storage::accounts::contract::user("u1", "u1@example.com", now);
    s.accounts.create_owner(&user, &org).await.unwrap();
    let mut live = refresh_token("live", "f1", now + secs(60), now);
    live.user_id = user.id.to_string();
    live.org_id = Some(org.id.clone());
    s.tokens.insert_refresh_token(&live).await.unwrap();
    let expected = SessionMember { user_id: user.id.clone(), org_id: org.id.clone(), role: Role::Owner };
    assert_eq!(s.tokens.session_member("live", now).await.unwrap(), Some(expected));
    assert_eq!(s.tokens.session_member("live", now + secs(61)).await.unwrap(), None, "expired");
    assert_eq!(s.tokens.session_member("unknown", now).await.unwrap(), None);
    let mut elsewhere = refresh_token("elsewhere", "f2", now + secs(60), now);
    elsewhere.user_id = user.id.to_string();
    elsewhere.org_id = Some(OrgId::new("another-org"));
    s.tokens.insert_refresh_token(&elsewhere).await.unwrap();
    assert_eq!(s.tokens.session_member("elsewhere", now).await.unwrap(), None, "not a member there");
    s.tokens.use_refresh_token("live", now, "x").await.unwrap();
    assert_eq!(s.tokens.session_member("live", now).await.unwrap(), None, "rotated");
}

/// Revocation is by family and checked at use: a token of the family inserted after (or while) it
/// was revoked neither refreshes nor authenticates; the record lasts until the family's end.
pub async fn a_revoked_family_refuses_tokens_inserted_after_the_revocation(s: Stores) {
    let now = millis_precision(OffsetDateTime::now_utc());
    let (user, org) = crate::storage::accounts::contract::user("u1", "u1@example.com", now);
    s.accounts.create_owner(&user, &org).await.unwrap();
    let token = |hash: &str, family: &str| RefreshTokenRecord {
        user_id: user.id.to_string(),
        org_id: Some(org.id.clone()),
        ..refresh_token(hash, family, now + secs(3600), now)
    };
    assert_eq!(s.tokens.revoke_refresh_family("fam", now, now + secs(60)).await.unwrap(), 0);
    s.tokens.insert_refresh_token(&token("late", "fam")).await.unwrap();
    assert!(s.tokens.session_member("late", now).await.unwrap().is_none(), "does not authenticate");
    assert!(s.tokens.use_refresh_token("late", now, "x").await.unwrap().is_none(), "does not refresh");
    s.tokens.insert_refresh_token(&token("other", "fam2")).await.unwrap();
    assert_eq!(s.tokens.session_member("other", now).await.unwrap().map(|m| m.org_id), Some(org.id.clone()));
    // Revoking again is harmless; once the family's end has passed its record goes with the purge.
    assert_eq!(s.tokens.revoke_refresh_family("fam", now, now + secs(60)).await.unwrap(), 1);
    s.tokens.purge_tokens(now + secs(61)).await.unwrap();
    s.tokens.insert_refresh_token(&token("again", "fam")).await.unwrap();
    assert!(s.tokens.session_member("again", now).await.unwrap().is_some(), "the record was purged");
}

/// A sign-in link is single use, expires, and is not a reset token (nor the other way round).
pub async fn sign_in_links_are_single_use_and_separate_from_reset_tokens(s: Stores) {
    let now = millis_precision(OffsetDateTime::now_utc());
    let link = |hash: &str| ResetTokenRecord {
        token_hash: hash.into(),
        user_id: "u1".into(),
        expires_at: now + secs(900),
        used_at: None,
        created_at: now,
    };
    s.tokens.insert_sign_in_link(&link("l1")).await.unwrap();
    s.tokens.insert_reset_token(&link("r1")).await.unwrap();
    assert!(s.tokens.use_reset_token("l1", now).await.unwrap().is_none(), "a link does not reset a password");
    assert!(s.tokens.use_sign_in_link("r1", now).await.unwrap().is_none(), "a reset token does not sign in");
    assert!(s.tokens.use_sign_in_link("l1", now + secs(900)).await.unwrap().is_none(), "expired");
    assert_eq!(s.tokens.use_sign_in_link("l1", now).await.unwrap().map(|t| t.user_id), Some("u1".into()));
    assert!(s.tokens.use_sign_in_link("l1", now).await.unwrap().is_none(), "used once");
    s.tokens.insert_sign_in_link(&link("l2")).await.unwrap();
    s.tokens.purge_tokens(now).await.unwrap();
    assert!(s.tokens.use_sign_in_link("l2", now).await.unwrap().is_some(), "a live link survives the purge");
}

/// A password reset or change moves the user's epoch on: a token issued in an earlier epoch —
/// even one inserted after the change, by a refresh racing it — no longer authenticates.
pub async fn tokens_from_before_a_password_change_do_not_authenticate(s: Stores) {
    let now = millis_precision(OffsetDateTime::now_utc());
    let (user, org) = crate::storage::accounts::contract::user("u1", "u1@example.com", now);
    s.accounts.create_owner(&user, &org).await.unwrap();
    let token = |hash: &str, epoch: i64| RefreshTokenRecord {
        user_id: user.id.to_string(),
        org_id: Some(org.id.clone()),
        epoch,
        ..refresh_token(hash, hash, now + secs(3600), now)
    };
    s.tokens.insert_refresh_token(&token("before", 0)).await.unwrap();
    assert!(s.tokens.session_member("before", now).await.unwrap().is_some());
    s.accounts.set_password_hash(&user.id, "new-hash").await.unwrap();
    assert!(s.tokens.session_member("before", now).await.unwrap().is_none(), "issued before the change");
    s.tokens.insert_refresh_token(&token("raced", 0)).await.unwrap();
    assert!(s.tokens.session_member("raced", now).await.unwrap().is_none(), "inserted after, with the old epoch");
    s.tokens.insert_refresh_token(&token("after", 1)).await.unwrap();
    assert!(s.tokens.session_member("after", now).await.unwrap().is_some(), "issued in the new epoch");
}
