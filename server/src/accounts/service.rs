//! The accounts service behind the sign-up, sign-in and session server functions.

use super::AccountStores;
use super::password::{self, Password};
use super::session::{REFRESH_GRACE, REFRESH_TTL, Signer, new_secret_token, token_hash};
use crate::crypto::Keyring;
use crate::email::{EmailJob, SEND_EMAIL, Template};
use crate::limits::{self, Limit, Limiter, client_key};
use crate::storage::accounts::{LoginEvent, OrgRecord, PendingRegistration, UserRecord};
use crate::storage::tokens::{RefreshTokenRecord, ResetTokenRecord};
use crate::storage::{StoreError, millis_precision};
use app::accounts::model::{AccessGrant, Caller, Profile, Registration, SignInView, Viewer};
use app::accounts::port::AccountsError;
use app::accounts::port::{Accounts, ClientInfo, Credential, SessionStart};
use app::ids::{OrgId, UserId};
use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use std::collections::BTreeMap;
use std::sync::Arc;
use time::{Duration, OffsetDateTime};

/// A signed-in member: what the browser is shown, and the session epoch its tokens carry.
pub(crate) struct Member {
    pub(crate) viewer: Viewer,
    pub(crate) epoch: i64,
}

pub struct AccountService {
    store: AccountStores,
    signer: Signer,
    cost: u32,
    /// Seals the secret links that e-mail jobs carry.
    keyring: Arc<Keyring>,
    /// Links in e-mails are built from this, never from the request's Host header.
    public_url: String,
    /// How long a rotated refresh token still yields its successor.
    refresh_grace: Duration,
    limiter: Limiter,
}

const RESET_TTL: Duration = Duration::hours(1);
/// Job kind of a password-reset request (see `send_reset_link`).
pub const RESET_REQUEST: &str = "auth.reset_request";
/// How long a sign-up's confirmation link works.
const CONFIRM_TTL: Duration = Duration::hours(24);
/// How long an e-mailed sign-in link works.
const SIGN_IN_LINK_TTL: Duration = Duration::minutes(15);

fn internal(e: impl std::fmt::Display) -> AccountsError {
    AccountsError::internal(e)
}

fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

impl AccountService {
    pub fn new(store: AccountStores, signer: Signer, cost: u32, keyring: Arc<Keyring>, public_url: String) -> Self {
        let limiter = Limiter::new(store.accounts.clone());
        Self { store, signer, cost, keyring, public_url, refresh_grace: REFRESH_GRACE, limiter }
    }

    pub fn with_refresh_grace(self, refresh_grace: Duration) -> Self {
        Self { refresh_grace, ..self }
    }

    pub(crate) async fn email(
        &self,
        user: &UserRecord,
        template: Template,
        extra: &[(&str, String)],
        secret: &[(&str, String)],
        key: String,
    ) -> Result<(), AccountsError> {
        let mut vars = BTreeMap::from([("name".to_owned(), user.first_name.clone())]);
        vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.clone())));
        let lang = app::i18n::Lang::from_code(&user.lang).unwrap_or(app::i18n::Lang::En);
        let job = EmailJob { to: user.email.clone(), template, lang, vars, sealed: None };
        let job = job.with_secrets(&self.keyring, secret);
        let payload = serde_json::to_value(&job).map_err(internal)?;
        crate::jobs::enqueue(&*self.store.jobs, SEND_EMAIL, payload, Some(key)).await.map_err(internal)?;
        Ok(())
    }

    /// The member `user` is in `org` (else their first organisation), re-reading membership from
    /// the store (so removal or demotion takes effect at once). `None` when the user is gone or no
    /// longer a member.
    pub(crate) async fn member(&self, user: &UserId, org: Option<&OrgId>) -> Result<Option<Member>, AccountsError> {
        let Some(u) = self.store.accounts.user(user).await.map_err(internal)? else { return Ok(None) };
        let memberships = self.store.accounts.memberships(user).await.map_err(internal)?;
        let active = match org {
            Some(org) => memberships.iter().find(|m| &m.org.id == org),
            None => memberships.first(),
        };
        let viewer = active.map(|m| Viewer {
            user_id: u.id.to_string(),
            first_name: u.first_name.clone(),
            last_name: u.last_name.clone(),
            email: u.email.clone(),
            org_id: m.org.id.to_string(),
            org_name: m.org.name.clone(),
            role: m.role,
            orgs: memberships.iter().map(|m| (m.org.id.to_string(), m.org.name.clone(), m.role)).collect(),
        });
        Ok(viewer.map(|viewer| Member { viewer, epoch: u.session_epoch }))
    }

    /// Grants access for `member` and stores a refresh token in `family` (a new family on sign-in,
    /// the same one — and the same absolute end — on rotation and organisation switch).
    pub(crate) async fn start(
        &self,
        member: Member,
        family: Option<(String, OffsetDateTime)>,
    ) -> Result<SessionStart, AccountsError> {
        self.start_with(member, family, new_secret_token()).await
    }

    /// [`Self::start`] with a refresh token chosen beforehand (rotation seals it into the used
    /// token's row first).
    async fn start_with(
        &self,
        member: Member,
        family: Option<(String, OffsetDateTime)>,
        (token, hash): (SecretString, String),
    ) -> Result<SessionStart, AccountsError> {
        let Member { viewer, epoch } = member;
        let now = millis_precision(OffsetDateTime::now_utc());
        let (family_id, expires_at) = family.unwrap_or_else(|| (uuid::Uuid::new_v4().to_string(), now + REFRESH_TTL));
        let org = OrgId::new(viewer.org_id.clone());
        let record = RefreshTokenRecord {
            token_hash: hash,
            user_id: viewer.user_id.clone(),
            family_id,
            org_id: Some(org.clone()),
            expires_at,
            used_at: None,
            revoked_at: None,
            created_at: now,
            successor: None,
            epoch,
        };
        self.store.tokens.insert_refresh_token(&record).await.map_err(internal)?;
        Ok(self.grant(Member { viewer, epoch }, &token, expires_at, now))
    }

    /// A fresh access token for `member`, with the refresh `token` the cookie will carry.
    fn grant(
        &self,
        member: Member,
        token: &SecretString,
        expires_at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> SessionStart {
        let Member { viewer, epoch } = member;
        let org = OrgId::new(viewer.org_id.clone());
        let access = self.signer.issue(&UserId::new(viewer.user_id.clone()), &org, epoch, now);
        let grant = AccessGrant { access_token: access.token, expires_at: access.expires_at.unix_timestamp(), viewer };
        let refresh_max_age = (expires_at - now).whole_seconds();
        SessionStart { grant, refresh_token: token.expose_secret().to_owned(), refresh_max_age }
    }

    /// Uses the refresh token `hash`, sealing its successor into its row in the same write.
    async fn rotate(&self, hash: &str, now: OffsetDateTime) -> Result<Rotation, AccountsError> {
        let next = new_secret_token();
        let sealed = self.keyring.seal(&successor_context(hash), &next.0);
        let used = self.store.tokens.use_refresh_token(hash, now, &sealed).await.map_err(internal)?;
        Ok(Rotation { used, next })
    }

    /// A second request with a token rotated moments ago (another tab, a retried request) gets
    /// the winner's token — following the chain if it moved on again — instead of ending the
    /// session. Outside the grace window a used token is a replay: the whole family is revoked.
    async fn within_grace(&self, hash: &str, now: OffsetDateTime) -> Result<SessionStart, AccountsError> {
        let expired = || AccountsError::SessionExpired;
        let mut current = self.store.tokens.refresh_token(hash).await.map_err(internal)?.ok_or_else(expired)?;
        let Some(used_at) = current.used_at else { return Err(expired()) };
        if current.revoked_at.is_some() {
            return Err(expired());
        }
        if now - used_at > self.refresh_grace {
            self.revoke_family(&current.family_id, now).await?;
            tracing::warn!(family = %current.family_id, "refresh token replayed: session family revoked");
            return Err(expired());
        }
        for _ in 0..5 {
            let sealed = current.successor.as_deref().ok_or_else(expired)?;
            let token = self.keyring.open(&successor_context(&current.token_hash), sealed).map_err(internal)?;
            let next = self.successor_row(&token_hash(token.expose_secret())).await?;
            let next = next.filter(|t| t.revoked_at.is_none() && t.expires_at > now).ok_or_else(expired)?;
            if next.used_at.is_none() {
                let user = UserId::new(next.user_id.clone());
                let member = self.member(&user, next.org_id.as_ref()).await?;
                let member = member.filter(|m| m.epoch == next.epoch).ok_or_else(expired)?;
                return Ok(self.grant(member, &token, next.expires_at, now));
            }
            current = next;
        }
        Err(expired())
    }

    /// The row of a successor, which the winner inserts just after sealing it: a request that
    /// arrives in between waits for it briefly.
    async fn successor_row(&self, hash: &str) -> Result<Option<RefreshTokenRecord>, AccountsError> {
        for _ in 0..40 {
            if let Some(row) = self.store.tokens.refresh_token(hash).await.map_err(internal)? {
                return Ok(Some(row));
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        Ok(None)
    }

    async fn revoke_family(&self, family: &str, now: OffsetDateTime) -> Result<(), AccountsError> {
        // Every family ends within REFRESH_TTL of now: its record need not outlive that.
        self.store.tokens.revoke_refresh_family(family, now, now + REFRESH_TTL).await.map_err(internal)?;
        Ok(())
    }

    /// Runs in the background for every reset request: a link for a real account, nothing else.
    pub async fn send_reset_link(&self, email: &str) -> Result<(), AccountsError> {
        let Some(user) = self.store.accounts.user_by_email(email).await.map_err(internal)? else {
            return Ok(());
        };
        let now = millis_precision(OffsetDateTime::now_utc());
        self.store.tokens.void_reset_tokens(&user.id, now).await.map_err(internal)?;
        let (token, record) = one_time_token(&user, now + RESET_TTL, now);
        self.store.tokens.insert_reset_token(&record).await.map_err(internal)?;
        let link = format!("{}/reset-password?token={}", self.public_url, token.expose_secret());
        let key = format!("reset:{}", record.token_hash);
        self.email(&user, Template::PasswordReset, &[], &[("link", link)], key).await
    }

    /// Counts one call against `limit`; over it, the caller is told to retry after the window.
    async fn limit(&self, limit: Limit, key: &str, now: OffsetDateTime) -> Result<(), AccountsError> {
        match self.limiter.over(limit, key, now).await.map_err(internal)? {
            true => Err(AccountsError::TooManyAttempts(limit.retry_after())),
            false => Ok(()),
        }
    }

    /// Whether the account has been signed in to from this client's address (its /64 for IPv6)
    /// among its recent sign-ins.
    async fn known_client(&self, user: &UserRecord, client: &str) -> Result<bool, AccountsError> {
        let recent = self.store.accounts.recent_logins(&user.id, 50).await.map_err(internal)?;
        Ok(recent.iter().any(|e| client_key(&e.ip) == client))
    }

    /// E-mails a single-use sign-in link (the owner's way in while the account is under attack).
    async fn send_sign_in_link(&self, user: &UserRecord, now: OffsetDateTime) -> Result<(), AccountsError> {
        let now = millis_precision(now);
        let (token, record) = one_time_token(user, now + SIGN_IN_LINK_TTL, now);
        self.store.tokens.insert_sign_in_link(&record).await.map_err(internal)?;
        let link = format!("{}/login/link?token={}", self.public_url, token.expose_secret());
        let key = format!("signin:{}", record.token_hash);
        self.email(user, Template::SignInLink, &[], &[("link", link)], key).await
    }

    pub(crate) async fn record_sign_in(
        &self,
        user: &UserId,
        client: &ClientInfo,
        at: OffsetDateTime,
    ) -> Result<(), AccountsError> {
        record_login(&self.store, user, client, at).await
    }
}

#[async_trait]
impl Accounts for AccountService {
    async fn register(&self, form: Registration, client: ClientInfo) -> Result<(), AccountsError> {
        let form = super::validate::registration(form)?;
        let password = Password::parse(form.password.clone())?;
        self.limit(limits::SIGN_UP_CLIENT, &client_key(&client.ip), OffsetDateTime::now_utc()).await?;
        // Hash in both cases below, so the answer takes as long whether or not the address is known.
        let password_hash = password::hash(&password, self.cost).await.map_err(internal)?;
        let email = normalise_email(&form.email);
        let now = millis_precision(OffsetDateTime::now_utc());
        let (token, hash) = new_secret_token();
        let recipient = UserRecord {
            id: UserId::new(String::new()),
            email: email.clone(),
            first_name: form.first_name.clone(),
            last_name: form.last_name.clone(),
            password_hash: String::new(),
            lang: form.lang.clone(),
            created_at: now,
            session_epoch: 0,
        };
        let existing = self.store.accounts.user_by_email(&email).await.map_err(internal)?;
        // Stored in both cases (same work, same timing); for a known address its token is never
        // sent anywhere, so it can only expire.
        let pending = PendingRegistration {
            token_hash: hash.clone(),
            email,
            first_name: form.first_name,
            last_name: form.last_name,
            password_hash,
            organisation: form.organisation,
            lang: form.lang,
            expires_at: now + CONFIRM_TTL,
            used_at: None,
            created_at: now,
        };
        self.store.accounts.insert_registration(&pending).await.map_err(internal)?;
        if let Some(existing) = existing {
            let link = format!("{}/login", self.public_url);
            let recipient =
                UserRecord { first_name: existing.first_name.clone(), lang: existing.lang.clone(), ..recipient };
            return self
                .email(&recipient, Template::AccountExists, &[("link", link)], &[], format!("exists:{hash}"))
                .await;
        }
        let link = format!("{}/confirm?token={}", self.public_url, token.expose_secret());
        self.email(&recipient, Template::ConfirmEmail, &[], &[("link", link)], format!("confirm:{hash}")).await
    }

    async fn confirm_registration(
        &self,
        token: &str,
        password: String,
        client: ClientInfo,
    ) -> Result<SessionStart, AccountsError> {
        let invalid = || AccountsError::ConfirmationInvalid;
        let now = millis_precision(OffsetDateTime::now_utc());
        // Pre-account takeover: whoever signed up chose the password, so only someone who knows
        // it can turn the sign-up into an account — a sign-up made for another person's address
        // dies unused. A wrong password leaves the link working for another try.
        let hash = token_hash(token);
        let found = self.store.accounts.registration(&hash, now).await.map_err(internal)?.ok_or_else(invalid)?;
        let candidate = Password::parse(password).map_err(|_| AccountsError::ConfirmationPassword)?;
        if !password::verify(&candidate, Some(&found.password_hash), self.cost).await {
            return Err(AccountsError::ConfirmationPassword);
        }
        let pending = self.store.accounts.take_registration(&hash, now).await.map_err(internal)?.ok_or_else(invalid)?;
        let user = UserRecord {
            id: UserId::new(uuid::Uuid::new_v4().to_string()),
            email: pending.email,
            first_name: pending.first_name,
            last_name: pending.last_name,
            password_hash: pending.password_hash,
            lang: pending.lang,
            created_at: now,
            session_epoch: 0,
        };
        let org =
            OrgRecord { id: OrgId::new(uuid::Uuid::new_v4().to_string()), name: pending.organisation, created_at: now };
        match self.store.accounts.create_owner(&user, &org).await {
            Ok(()) => {}
            // The address got an account meanwhile (a second sign-up confirmed first).
            Err(StoreError::Duplicate) => return Err(invalid()),
            Err(e) => return Err(internal(e)),
        }
        record_login(&self.store, &user.id, &client, now).await?;
        let viewer =
            self.member(&user.id, Some(&org.id)).await?.ok_or_else(|| internal("new owner has no membership"))?;
        self.start(viewer, None).await
    }

    async fn login(&self, email: &str, password: String, client: ClientInfo) -> Result<SessionStart, AccountsError> {
        let email = normalise_email(email);
        let now = OffsetDateTime::now_utc();
        let ip = client_key(&client.ip);
        let pair = format!("{email}|{ip}");
        // Every attempt is counted before the (slow) hash, so concurrent guesses see each other:
        // of forty at once, the first few are checked and the rest refused. A failure keeps them.
        let over_pair = self.limiter.over(limits::SIGN_IN_PAIR, &pair, now).await.map_err(internal)?;
        let over_client = self.limiter.over(limits::SIGN_IN_CLIENT, &ip, now).await.map_err(internal)?;
        let over_account = self.limiter.over(limits::SIGN_IN_ACCOUNT, &email, now).await.map_err(internal)?;
        if over_pair || over_client {
            return Err(AccountsError::TooManyAttempts(limits::SIGN_IN_PAIR.retry_after()));
        }
        let user = self.store.accounts.user_by_email(&email).await.map_err(internal)?;
        // Under attack from many places, a client this account was never signed in from proves
        // itself through the account's mailbox: whatever the password, the answer is the same, so
        // guessing from new addresses learns nothing — and the owner is never locked out.
        let by_link = match (&user, over_account) {
            (Some(user), true) => !self.known_client(user, &ip).await?,
            (None, true) => true,
            (_, false) => false,
        };
        // Unknown addresses and short passwords still pay for one bcrypt check: same timing.
        let candidate = Password::parse(password).unwrap_or_else(|_| Password::parse("x".repeat(12)).expect("valid"));
        let ok = password::verify(&candidate, user.as_ref().map(|u| u.password_hash.as_str()), self.cost).await;
        let user = match (ok, user) {
            (true, Some(user)) if by_link => {
                self.send_sign_in_link(&user, now).await?;
                return Err(AccountsError::SignInLinkSent);
            }
            _ if by_link => return Err(AccountsError::SignInLinkSent),
            (true, Some(user)) => user,
            _ => return Err(AccountsError::BadCredentials),
        };
        // A success starts the pair afresh and no longer counts against the client or account.
        self.limiter.clear(limits::SIGN_IN_PAIR, &pair).await.map_err(internal)?;
        self.limiter.release(limits::SIGN_IN_CLIENT, &ip, now).await.map_err(internal)?;
        self.limiter.release(limits::SIGN_IN_ACCOUNT, &email, now).await.map_err(internal)?;
        record_login(&self.store, &user.id, &client, now).await?;
        let viewer = self.member(&user.id, None).await?.ok_or(AccountsError::BadCredentials)?;
        self.start(viewer, None).await
    }

    async fn sign_in_with_link(&self, token: &str, client: ClientInfo) -> Result<SessionStart, AccountsError> {
        let invalid = || AccountsError::SignInLinkInvalid;
        let now = millis_precision(OffsetDateTime::now_utc());
        let link = self.store.tokens.use_sign_in_link(&token_hash(token), now).await.map_err(internal)?;
        let user = UserId::new(link.ok_or_else(invalid)?.user_id);
        // Recorded, so this client counts as known to the account from now on.
        record_login(&self.store, &user, &client, now).await?;
        let viewer = self.member(&user, None).await?.ok_or_else(invalid)?;
        self.start(viewer, None).await
    }

    async fn refresh(&self, refresh_token: Option<&str>) -> Result<SessionStart, AccountsError> {
        let expired = || AccountsError::SessionExpired;
        let hash = token_hash(refresh_token.ok_or_else(expired)?);
        let now = millis_precision(OffsetDateTime::now_utc());
        let Rotation { used, next } = self.rotate(&hash, now).await?;
        let Some(used) = used else { return self.within_grace(&hash, now).await };
        let user = UserId::new(used.user_id.clone());
        // Re-read after the use: a password reset or change since the token was issued (even
        // one racing this refresh) has moved the epoch on, and the session ends.
        let viewer = self.member(&user, used.org_id.as_ref()).await?;
        let viewer = viewer.filter(|m| m.epoch == used.epoch).ok_or_else(expired)?;
        self.start_with(viewer, Some((used.family_id, used.expires_at)), next).await
    }

    async fn logout(&self, refresh_token: Option<&str>) -> Result<(), AccountsError> {
        if let Some(token) = refresh_token
            && let Some(record) = self.store.tokens.refresh_token(&token_hash(token)).await.map_err(internal)?
        {
            self.revoke_family(&record.family_id, OffsetDateTime::now_utc()).await?;
        }
        Ok(())
    }

    async fn request_password_reset(&self, email: &str, client: ClientInfo) -> Result<(), AccountsError> {
        // The same work whether or not the address has an account: one job, handled later by
        // `send_reset_link`. The answer and its timing say nothing about the address (the
        // limits count every address alike).
        let email = normalise_email(email);
        let now = OffsetDateTime::now_utc();
        self.limit(limits::RESET_CLIENT, &client_key(&client.ip), now).await?;
        self.limit(limits::RESET_ADDRESS, &email, now).await?;
        let payload = serde_json::json!({ "email": email });
        crate::jobs::enqueue(&*self.store.jobs, RESET_REQUEST, payload, None).await.map_err(internal)?;
        Ok(())
    }

    async fn reset_password(&self, token: &str, password: String) -> Result<(), AccountsError> {
        let password = Password::parse(password)?;
        let now = millis_precision(OffsetDateTime::now_utc());
        let invalid = || AccountsError::ResetInvalid;
        let record =
            self.store.tokens.use_reset_token(&token_hash(token), now).await.map_err(internal)?.ok_or_else(invalid)?;
        let user_id = UserId::new(record.user_id);
        let user = self.store.accounts.user(&user_id).await.map_err(internal)?.ok_or_else(invalid)?;
        let hash = password::hash(&password, self.cost).await.map_err(internal)?;
        self.store.accounts.set_password_hash(&user_id, &hash).await.map_err(internal)?;
        self.store.tokens.revoke_user_refresh_tokens(&user_id, now).await.map_err(internal)?;
        self.email(&user, Template::PasswordChanged, &[], &[], format!("changed:{}", record.token_hash)).await
    }

    async fn authenticate(&self, credential: Credential) -> Result<Caller, AccountsError> {
        let expired = || AccountsError::SessionExpired;
        match credential {
            Credential::Bearer(token) => {
                let claims = self.signer.verify(&token).ok_or_else(expired)?;
                let (user_id, org_id) = (UserId::new(claims.sub), OrgId::new(claims.org));
                let access = self.store.accounts.access(&org_id, &user_id).await.map_err(internal)?;
                // A token from before the last password reset or change no longer counts.
                let access = access.filter(|a| a.session_epoch == claims.ep).ok_or_else(expired)?;
                Ok(Caller { user_id, org_id, role: access.role })
            }
            Credential::Session(token) => {
                let now = OffsetDateTime::now_utc();
                let member = self.store.tokens.session_member(&token_hash(&token), now).await.map_err(internal)?;
                let member = member.ok_or_else(expired)?;
                Ok(Caller { user_id: member.user_id, org_id: member.org_id, role: member.role })
            }
        }
    }

    async fn viewer(&self, caller: &Caller) -> Result<Option<Viewer>, AccountsError> {
        Ok(self.member(&caller.user_id, Some(&caller.org_id)).await?.map(|m| m.viewer))
    }

    async fn profile(&self, caller: &Caller) -> Result<Profile, AccountsError> {
        let id = &caller.user_id;
        let user =
            self.store.accounts.user(id).await.map_err(internal)?.ok_or_else(|| internal("caller without user"))?;
        let recent = self.store.accounts.recent_logins(id, 10).await.map_err(internal)?;
        Ok(Profile {
            first_name: user.first_name,
            last_name: user.last_name,
            email: user.email,
            lang: user.lang,
            recent_sign_ins: recent
                .into_iter()
                .map(|e| SignInView { at: e.at.unix_timestamp(), ip: e.ip, user_agent: e.user_agent })
                .collect(),
        })
    }

    async fn update_profile(&self, caller: &Caller, first: &str, last: &str, lang: &str) -> Result<(), AccountsError> {
        let (first, last) = super::validate::names(first, last)?;
        let lang = app::i18n::Lang::from_code(lang).unwrap_or(app::i18n::Lang::En).code();
        self.store.accounts.update_profile(&caller.user_id, &first, &last, lang).await.map_err(internal)
    }

    async fn change_password(
        &self,
        caller: &Caller,
        current: String,
        new: String,
    ) -> Result<SessionStart, AccountsError> {
        let id = caller.user_id.clone();
        let user =
            self.store.accounts.user(&id).await.map_err(internal)?.ok_or_else(|| internal("caller without user"))?;
        let current = Password::parse(current).map_err(|_| AccountsError::WrongPassword)?;
        if !password::verify(&current, Some(&user.password_hash), self.cost).await {
            return Err(AccountsError::WrongPassword);
        }
        let new = Password::parse(new)?;
        let hash = password::hash(&new, self.cost).await.map_err(internal)?;
        self.store.accounts.set_password_hash(&id, &hash).await.map_err(internal)?;
        let now = OffsetDateTime::now_utc();
        self.store.tokens.revoke_user_refresh_tokens(&id, now).await.map_err(internal)?;
        self.email(
            &user,
            Template::PasswordChanged,
            &[],
            &[],
            format!("changed:{}:{}", id, now.unix_timestamp_nanos()),
        )
        .await?;
        let viewer = self.member(&id, Some(&caller.org_id)).await?.ok_or_else(|| internal("no viewer"))?;
        self.start(viewer, None).await
    }

    async fn switch_org(
        &self,
        caller: &Caller,
        org_id: &OrgId,
        refresh_token: Option<&str>,
    ) -> Result<SessionStart, AccountsError> {
        // Only a browser session switches, and it stays the same session: the cookie's token is
        // rotated within its family, keeping the family's absolute end (a bearer token alone
        // could otherwise mint a fresh 7-day session).
        let member = self.member(&caller.user_id, Some(org_id)).await?.ok_or(AccountsError::NotFound)?;
        let hash = token_hash(refresh_token.ok_or(AccountsError::SessionExpired)?);
        let Rotation { used, next } = self.rotate(&hash, millis_precision(OffsetDateTime::now_utc())).await?;
        let used = used.filter(|t| t.user_id == caller.user_id.as_str()).ok_or(AccountsError::SessionExpired)?;
        self.start_with(member, Some((used.family_id, used.expires_at)), next).await
    }

    async fn viewer_from_cookie(&self, refresh_token: Option<&str>) -> Result<Option<Viewer>, AccountsError> {
        let Some(token) = refresh_token else { return Ok(None) };
        let Some(record) = self.store.tokens.refresh_token(&token_hash(token)).await.map_err(internal)? else {
            return Ok(None);
        };
        let live =
            record.used_at.is_none() && record.revoked_at.is_none() && record.expires_at > OffsetDateTime::now_utc();
        if !live {
            return Ok(None);
        }
        Ok(self.member(&UserId::new(record.user_id), record.org_id.as_ref()).await?.map(|m| m.viewer))
    }
}

/// A new single-use e-mailed token for `user` (reset or sign-in link): the secret, and the record
/// that stores only its hash.
fn one_time_token(
    user: &UserRecord,
    expires_at: OffsetDateTime,
    now: OffsetDateTime,
) -> (SecretString, ResetTokenRecord) {
    let (token, token_hash) = new_secret_token();
    let record =
        ResetTokenRecord { token_hash, user_id: user.id.to_string(), expires_at, used_at: None, created_at: now };
    (token, record)
}

/// A refresh token spent (when it was live) and the successor sealed into its row.
struct Rotation {
    used: Option<RefreshTokenRecord>,
    next: (SecretString, String),
}

/// The keyring context of a successor: it opens only from the row of the token it replaced.
fn successor_context(used_hash: &str) -> String {
    format!("refresh-successor:{used_hash}")
}

async fn record_login(
    store: &AccountStores,
    user: &UserId,
    client: &ClientInfo,
    at: OffsetDateTime,
) -> Result<(), AccountsError> {
    let event = LoginEvent {
        id: uuid::Uuid::new_v4().to_string(),
        user_id: user.clone(),
        at: millis_precision(at),
        ip: client.ip.clone(),
        user_agent: client.user_agent.chars().take(300).collect(),
    };
    store.accounts.record_login(&event).await.map_err(internal)
}
