//! The members contract: every adapter must pass these (see `storage/contract.rs`).

use super::*;
use crate::storage::contract::secs;
use crate::storage::{StoreError, Stores, millis_precision};
use crate::storage::accounts::contract::user;
use time::OffsetDateTime;

pub async fn members_join_change_role_and_leave_within_their_organisation(s: Stores) {
    use app::accounts::model::Role;
    let now = millis_precision(OffsetDateTime::now_utc());
    let (owner, org) = user("u1", "ana@tienda.mx", now);
    s.accounts.create_owner(&owner, &org).await.unwrap();
    let (newcomer, _) = user("u2", "luis@tienda.mx", now);
    s.members.create_user(&newcomer).await.unwrap();
    assert!(s.accounts.memberships(&newcomer.id).await.unwrap().is_empty());
    s.members.add_member(&org.id, &newcomer.id, Role::Member, now + secs(1)).await.unwrap();
    assert!(matches!(s.members.add_member(&org.id, &newcomer.id, Role::Admin, now).await, Err(StoreError::Duplicate)));
    let members = s.members.members(&org.id).await.unwrap();
    assert_eq!(
        members.iter().map(|(u, r)| (u.email.as_str(), *r)).collect::<Vec<_>>(),
        vec![("ana@tienda.mx", Role::Owner), ("luis@tienda.mx", Role::Member)]
    );
    let elsewhere = app::ids::OrgId::new("another-org");
    assert!(!s.members.set_role(&elsewhere, &newcomer.id, Role::Admin).await.unwrap(), "scoped by organisation");
    assert!(s.members.set_role(&org.id, &newcomer.id, Role::Admin).await.unwrap());
    assert_eq!(s.accounts.role_in(&org.id, &newcomer.id).await.unwrap(), Some(Role::Admin));
    assert!(!s.members.remove_member(&elsewhere, &newcomer.id).await.unwrap());
    assert!(s.members.remove_member(&org.id, &newcomer.id).await.unwrap());
    assert_eq!(s.accounts.role_in(&org.id, &newcomer.id).await.unwrap(), None);
}

pub async fn invitations_are_single_use_scoped_and_renewable(s: Stores) {
    use app::accounts::model::Role;
    let now = millis_precision(OffsetDateTime::now_utc());
    let (owner, org) = user("u1", "ana@tienda.mx", now);
    s.accounts.create_owner(&owner, &org).await.unwrap();
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
    s.members.create_invitation(&invite("i1", "h1", 3600)).await.unwrap();
    s.members.create_invitation(&invite("i2", "h2", 3600)).await.unwrap();
    s.members.create_invitation(&invite("i3", "h3", 10)).await.unwrap();
    assert_eq!(s.members.pending_invitations(&org.id, now + secs(20)).await.unwrap().len(), 2, "i3 expired");
    assert_eq!(s.members.invitation_by_token("h1").await.unwrap().unwrap().id, "i1");
    let accepted = s.members.accept_invitation("h1", now).await.unwrap().expect("pending");
    assert_eq!(accepted.accepted_at, Some(now));
    assert!(s.members.accept_invitation("h1", now).await.unwrap().is_none(), "single use");
    let other = app::ids::OrgId::new("another-org");
    assert!(!s.members.revoke_invitation(&other, "i2", now).await.unwrap(), "scoped by organisation");
    let renewed = s.members.renew_invitation(&org.id, "i2", "h2-new", now + secs(7200), now).await.unwrap().unwrap();
    assert_eq!((renewed.token_hash.as_str(), renewed.expires_at), ("h2-new", now + secs(7200)));
    assert!(s.members.accept_invitation("h2", now).await.unwrap().is_none(), "the old link stops working");
    assert!(s.members.revoke_invitation(&org.id, "i2", now).await.unwrap());
    assert!(s.members.accept_invitation("h2-new", now).await.unwrap().is_none(), "revoked");
    assert!(s.members.accept_invitation("h3", now + secs(11)).await.unwrap().is_none(), "expired");
    assert!(s.members.pending_invitations(&org.id, now).await.unwrap().iter().all(|i| i.id == "i3"));
}

pub async fn two_owners_demoting_or_removing_each_other_at_once_leave_one_owner(s: Stores) {
    let now = millis_precision(OffsetDateTime::now_utc());
    for round in 0..8 {
        let (a, org) = user(&format!("a{round}"), &format!("a{round}@example.com"), now);
        s.accounts.create_owner(&a, &org).await.unwrap();
        let (b, _) = user(&format!("b{round}"), &format!("b{round}@example.com"), now);
        s.members.create_user(&b).await.unwrap();
        s.members.add_member(&org.id, &b.id, Role::Owner, now).await.unwrap();
        // Round by round: both demote, both remove, or one of each.
        let (s1, s2, o1, o2, u1, u2) = (s.clone(), s.clone(), org.id.clone(), org.id.clone(), a.id.clone(), b.id.clone());
        let first = tokio::spawn(async move {
            if round % 2 == 0 { s1.members.set_role(&o1, &u1, Role::Admin).await } else { s1.members.remove_member(&o1, &u1).await }
        });
        let second = tokio::spawn(async move {
            if round % 3 == 0 { s2.members.remove_member(&o2, &u2).await } else { s2.members.set_role(&o2, &u2, Role::Member).await }
        });
        let outcomes = [first.await.unwrap(), second.await.unwrap()];
        let done = outcomes.iter().filter(|o| matches!(o, Ok(true))).count();
        let refused = outcomes.iter().filter(|o| matches!(o, Err(StoreError::LastOwner))).count();
        assert_eq!((done, refused), (1, 1), "round {round}: {outcomes:?}");
        let owners = s.members.members(&org.id).await.unwrap().into_iter().filter(|(_, r)| *r == Role::Owner).count();
        assert_eq!(owners, 1, "round {round}");
    }
    // Alone, the last owner can neither step down nor leave; a non-member is just absent.
    let (solo, org) = user("solo", "solo@example.com", now);
    s.accounts.create_owner(&solo, &org).await.unwrap();
    assert!(matches!(s.members.set_role(&org.id, &solo.id, Role::Admin).await, Err(StoreError::LastOwner)));
    assert!(matches!(s.members.remove_member(&org.id, &solo.id).await, Err(StoreError::LastOwner)));
    assert!(s.members.set_role(&org.id, &solo.id, Role::Owner).await.unwrap(), "staying owner is fine");
    assert!(!s.members.remove_member(&org.id, &UserId::new("nobody")).await.unwrap());
}
