//! Organisation members and invitations: the service behind Settings → Members and the
//! invitation link.

use super::AccountStores;
use super::password::{self, Password};
use super::rules;
use super::service::AccountService;
use super::session::{new_secret_token, token_hash};
use crate::email::Template;
use crate::storage::accounts::UserRecord;
use crate::storage::members::InvitationRecord;
use crate::storage::{StoreError, millis_precision};
use app::accounts::model::{Caller, InvitationPreview, InvitationView, MemberView, MembersOverview, Role};
use app::accounts::port::AccountsError;
use app::accounts::port::{ClientInfo, Members, SessionStart};
use app::ids::{OrgId, UserId};
use app::text::is_plausible_email;
use async_trait::async_trait;
use secrecy::ExposeSecret;
use std::sync::Arc;
use time::{Duration, OffsetDateTime};

pub const INVITATION_TTL: Duration = Duration::days(7);

pub struct MemberService {
    store: AccountStores,
    accounts: Arc<AccountService>,
    public_url: String,
    cost: u32,
}

fn internal(e: impl std::fmt::Display) -> AccountsError {
    AccountsError::internal(e)
}

/// Another organisation's ids answer exactly like missing ones.
fn not_found() -> AccountsError {
    AccountsError::NotFound
}

fn invalid_invitation() -> AccountsError {
    AccountsError::InvitationInvalid
}

impl MemberService {
    pub fn new(store: AccountStores, accounts: Arc<AccountService>, public_url: String, cost: u32) -> Self {
        Self { store, accounts, public_url, cost }
    }

    fn org(caller: &Caller) -> OrgId {
        caller.org_id.clone()
    }

    async fn owners(&self, org: &OrgId) -> Result<usize, AccountsError> {
        Ok(self.store.members.members(org).await.map_err(internal)?.iter().filter(|(_, r)| *r == Role::Owner).count())
    }

    async fn send_invitation(
        &self,
        caller: &Caller,
        invitation: &InvitationRecord,
        token: &str,
    ) -> Result<(), AccountsError> {
        let inviter = self.store.accounts.user(&caller.user_id).await.map_err(internal)?.ok_or_else(not_found)?;
        let org_name = self
            .store
            .accounts
            .memberships(&inviter.id)
            .await
            .map_err(internal)?
            .into_iter()
            .find(|m| m.org.id == invitation.org_id)
            .map(|m| m.org.name)
            .ok_or_else(not_found)?;
        // The invitee has no profile (or we must not read it): write in the inviter's language.
        let recipient = UserRecord { email: invitation.email.clone(), first_name: String::new(), ..inviter.clone() };
        let link = format!("{}/invite?token={token}", self.public_url);
        let inviter_name = format!("{} {}", inviter.first_name, inviter.last_name);
        let vars = [("inviter", inviter_name), ("org", org_name)];
        let key = format!("invite:{}", invitation.token_hash);
        self.accounts.email(&recipient, Template::Invitation, &vars, &[("link", link)], key).await
    }
}

#[async_trait]
impl Members for MemberService {
    async fn overview(&self, caller: &Caller) -> Result<MembersOverview, AccountsError> {
        if !caller.role.can_manage_members() {
            return Err(AccountsError::Forbidden);
        }
        let org = Self::org(caller);
        let members = self.store.members.members(&org).await.map_err(internal)?;
        let invitations =
            self.store.members.pending_invitations(&org, OffsetDateTime::now_utc()).await.map_err(internal)?;
        Ok(MembersOverview {
            members: members
                .into_iter()
                .map(|(u, role)| MemberView {
                    is_self: u.id == caller.user_id,
                    user_id: u.id.to_string(),
                    name: format!("{} {}", u.first_name, u.last_name),
                    email: u.email,
                    role,
                })
                .collect(),
            invitations: invitations
                .into_iter()
                .map(|i| InvitationView {
                    id: i.id,
                    email: i.email,
                    role: i.role,
                    expires_at: i.expires_at.unix_timestamp(),
                })
                .collect(),
        })
    }

    async fn invite(&self, caller: &Caller, email: &str, role: Role) -> Result<(), AccountsError> {
        rules::may_invite(caller.role, role)?;
        let email = email.trim().to_lowercase();
        if !is_plausible_email(&email) {
            return Err(AccountsError::Invalid("error-contact-email"));
        }
        let org = Self::org(caller);
        let already = self.store.members.members(&org).await.map_err(internal)?.iter().any(|(u, _)| u.email == email);
        if already {
            return Err(AccountsError::AlreadyMember);
        }
        let now = millis_precision(OffsetDateTime::now_utc());
        let (token, hash) = new_secret_token();
        let invitation = InvitationRecord {
            id: uuid::Uuid::new_v4().to_string(),
            org_id: org,
            email,
            role,
            token_hash: hash,
            invited_by: caller.user_id.clone(),
            expires_at: now + INVITATION_TTL,
            accepted_at: None,
            revoked_at: None,
            created_at: now,
        };
        self.store.members.create_invitation(&invitation).await.map_err(internal)?;
        self.send_invitation(caller, &invitation, token.expose_secret()).await
    }

    async fn resend(&self, caller: &Caller, invitation_id: &str) -> Result<(), AccountsError> {
        rules::may_invite(caller.role, Role::Member)?;
        let now = millis_precision(OffsetDateTime::now_utc());
        let org = Self::org(caller);
        // The role check comes before the renewal: a refused resend must not void the link the
        // invitee already has.
        let pending = self.store.members.pending_invitations(&org, now).await.map_err(internal)?;
        let invitation = pending.into_iter().find(|i| i.id == invitation_id).ok_or_else(not_found)?;
        rules::may_invite(caller.role, invitation.role)?;
        let (token, hash) = new_secret_token();
        let renewed = self.store.members.renew_invitation(&org, invitation_id, &hash, now + INVITATION_TTL, now).await;
        let invitation = renewed.map_err(internal)?.ok_or_else(not_found)?;
        self.send_invitation(caller, &invitation, token.expose_secret()).await
    }

    async fn revoke(&self, caller: &Caller, invitation_id: &str) -> Result<(), AccountsError> {
        rules::may_invite(caller.role, Role::Member)?;
        let org = Self::org(caller);
        let done = self.store.members.revoke_invitation(&org, invitation_id, OffsetDateTime::now_utc()).await;
        if done.map_err(internal)? { Ok(()) } else { Err(not_found()) }
    }

    async fn change_role(&self, caller: &Caller, target: &UserId, role: Role) -> Result<(), AccountsError> {
        let org = Self::org(caller);
        let current = self.store.accounts.role_in(&org, target).await.map_err(internal)?.ok_or_else(not_found)?;
        rules::may_change_role(caller.role, current, role, self.owners(&org).await?)?;
        match self.store.members.set_role(&org, target, role).await {
            Ok(true) => Ok(()),
            Ok(false) => Err(not_found()),
            Err(StoreError::LastOwner) => Err(AccountsError::LastOwner),
            Err(e) => Err(internal(e)),
        }
    }

    async fn remove(&self, caller: &Caller, target: &UserId) -> Result<(), AccountsError> {
        let org = Self::org(caller);
        let current = self.store.accounts.role_in(&org, target).await.map_err(internal)?.ok_or_else(not_found)?;
        rules::may_remove(caller.role, current, *target == caller.user_id, self.owners(&org).await?)?;
        match self.store.members.remove_member(&org, target).await {
            Ok(true) => Ok(()),
            Ok(false) => Err(not_found()),
            Err(StoreError::LastOwner) => Err(AccountsError::LastOwner),
            Err(e) => Err(internal(e)),
        }
    }

    async fn preview(&self, token: &str) -> Result<InvitationPreview, AccountsError> {
        let now = OffsetDateTime::now_utc();
        let invitation = self.store.members.invitation_by_token(&token_hash(token)).await.map_err(internal)?;
        let invitation = invitation
            .filter(|i| i.accepted_at.is_none() && i.revoked_at.is_none() && i.expires_at > now)
            .ok_or_else(invalid_invitation)?;
        let inviter = UserId::new(invitation.invited_by.to_string());
        let org_name = self
            .store
            .accounts
            .memberships(&inviter)
            .await
            .map_err(internal)?
            .into_iter()
            .find(|m| m.org.id == invitation.org_id)
            .map(|m| m.org.name)
            .unwrap_or_default();
        let existing_account = self.store.accounts.user_by_email(&invitation.email).await.map_err(internal)?.is_some();
        Ok(InvitationPreview { org_name, email: invitation.email, role: invitation.role, existing_account })
    }

    async fn accept(
        &self,
        token: &str,
        names: (String, String),
        password: String,
        client: ClientInfo,
    ) -> Result<SessionStart, AccountsError> {
        let hash = token_hash(token);
        let invitation =
            self.store.members.invitation_by_token(&hash).await.map_err(internal)?.ok_or_else(invalid_invitation)?;
        let existing = self.store.accounts.user_by_email(&invitation.email).await.map_err(internal)?;
        // Check everything that can fail before the single-use token is spent.
        let password = Password::parse(password)?;
        let newcomer = match &existing {
            Some(user) => {
                if !password::verify(&password, Some(&user.password_hash), self.cost).await {
                    return Err(AccountsError::BadCredentials);
                }
                None
            }
            None => {
                let names = super::validate::names(&names.0, &names.1)?;
                let now = millis_precision(OffsetDateTime::now_utc());
                Some(UserRecord {
                    id: UserId::new(uuid::Uuid::new_v4().to_string()),
                    email: invitation.email.clone(),
                    first_name: names.0,
                    last_name: names.1,
                    password_hash: password::hash(&password, self.cost).await.map_err(internal)?,
                    lang: "en".into(),
                    created_at: now,
                    session_epoch: 0,
                })
            }
        };
        let now = millis_precision(OffsetDateTime::now_utc());
        let invitation =
            self.store.members.accept_invitation(&hash, now).await.map_err(internal)?.ok_or_else(invalid_invitation)?;
        let user_id = match (existing, newcomer) {
            (Some(user), _) => user.id,
            (None, Some(user)) => {
                self.store.members.create_user(&user).await.map_err(internal)?;
                user.id
            }
            (None, None) => unreachable!("one of the two is set above"),
        };
        match self.store.members.add_member(&invitation.org_id, &user_id, invitation.role, now).await {
            Ok(()) | Err(StoreError::Duplicate) => {}
            Err(e) => return Err(internal(e)),
        }
        self.accounts.record_sign_in(&user_id, &client, now).await?;
        let viewer = self.accounts.member(&user_id, Some(&invitation.org_id)).await?.ok_or_else(invalid_invitation)?;
        self.accounts.start(viewer, None).await
    }
}
