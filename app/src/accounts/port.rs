//! The accounts service as the server functions see it (implemented in the `server` crate).

use super::model::{AccessGrant, Caller, InvitationPreview, MembersOverview, Profile, Registration, Role, Viewer};
use crate::error::AppError;
use crate::ids::{OrgId, UserId};
pub use crate::server::request::ClientInfo;

/// What a caller presents.
pub enum Credential {
    Bearer(String),
    /// The refresh token from the HttpOnly cookie (empty when there is none).
    Session(String),
}

/// A session change: what the browser gets, and the refresh token the HTTP layer puts in the
/// HttpOnly cookie (never in the body) with how long it lives.
pub struct SessionStart {
    pub grant: AccessGrant,
    pub refresh_token: String,
    pub refresh_max_age: i64,
}

#[async_trait::async_trait]
pub trait Accounts: Send + Sync {
    /// Starts a sign-up: e-mails a confirmation link (or, for an address that already has an
    /// account, a note saying so). Answers the same either way, so it reveals no address.
    /// Rate limited per client address (each costs a bcrypt and an e-mail).
    async fn register(&self, form: Registration, client: ClientInfo) -> Result<(), AccountsError>;
    /// Finishes a sign-up from its e-mailed link and the password chosen at sign-up (so a sign-up
    /// someone else made for this address cannot become an account whose password they know):
    /// creates the owner and organisation, signs in.
    async fn confirm_registration(
        &self,
        token: &str,
        password: String,
        client: ClientInfo,
    ) -> Result<SessionStart, AccountsError>;
    /// Checks the password. Throttled per (address, client) and per client; once an account has
    /// had many failures from many places, a client it has never been signed in from gets only
    /// an e-mailed sign-in link, and only for the right password (`SignInLinkSent` either way).
    async fn login(&self, email: &str, password: String, client: ClientInfo) -> Result<SessionStart, AccountsError>;
    /// Signs in with a link e-mailed by `login` (single use, 15 minutes).
    async fn sign_in_with_link(&self, token: &str, client: ClientInfo) -> Result<SessionStart, AccountsError>;
    /// Rotates the refresh token from the cookie; a replayed token ends its whole family.
    async fn refresh(&self, refresh_token: Option<&str>) -> Result<SessionStart, AccountsError>;
    /// Ends the session family of this refresh token.
    async fn logout(&self, refresh_token: Option<&str>) -> Result<(), AccountsError>;
    /// Sends a reset link if the address has an account; answers the same either way. Rate
    /// limited per client and per address.
    async fn request_password_reset(&self, email: &str, client: ClientInfo) -> Result<(), AccountsError>;
    /// Sets a new password with a reset token (single use, one hour), ends every session and
    /// notifies the account's owner.
    async fn reset_password(&self, token: &str, password: String) -> Result<(), AccountsError>;
    /// The signed-in viewer for a page render, from the refresh cookie, without rotating it.
    async fn viewer_from_cookie(&self, refresh_token: Option<&str>) -> Result<Option<Viewer>, AccountsError>;
    /// Who is calling: a bearer access token or the session cookie; membership and role are
    /// read from the store every time, in one round trip.
    async fn authenticate(&self, credential: Credential) -> Result<Caller, AccountsError>;
    /// The signed-in viewer of an authenticated caller, for a page render (`None`: no longer a
    /// member).
    async fn viewer(&self, caller: &Caller) -> Result<Option<Viewer>, AccountsError>;
    async fn profile(&self, caller: &Caller) -> Result<Profile, AccountsError>;
    /// Rectification: names and the language e-mails are written in.
    async fn update_profile(&self, caller: &Caller, first: &str, last: &str, lang: &str) -> Result<(), AccountsError>;
    /// Checks the current password, sets the new one, ends every session and starts a new one
    /// for this browser, and e-mails a notice.
    async fn change_password(
        &self,
        caller: &Caller,
        current: String,
        new: String,
    ) -> Result<SessionStart, AccountsError>;
    /// Makes another of the caller's organisations the active one.
    /// Needs the session's refresh token: the same session continues, rotated within its family.
    async fn switch_org(
        &self,
        caller: &Caller,
        org_id: &OrgId,
        refresh_token: Option<&str>,
    ) -> Result<SessionStart, AccountsError>;
}

/// Organisation members and invitations. Every method takes the caller first.
#[async_trait::async_trait]
pub trait Members: Send + Sync {
    async fn overview(&self, caller: &Caller) -> Result<MembersOverview, AccountsError>;
    async fn invite(&self, caller: &Caller, email: &str, role: Role) -> Result<(), AccountsError>;
    async fn resend(&self, caller: &Caller, invitation_id: &str) -> Result<(), AccountsError>;
    async fn revoke(&self, caller: &Caller, invitation_id: &str) -> Result<(), AccountsError>;
    async fn change_role(&self, caller: &Caller, user_id: &UserId, role: Role) -> Result<(), AccountsError>;
    async fn remove(&self, caller: &Caller, user_id: &UserId) -> Result<(), AccountsError>;
    async fn preview(&self, token: &str) -> Result<InvitationPreview, AccountsError>;
    /// Joins the invited address to the organisation (creating the account, or checking its
    /// password) and signs it in there.
    async fn accept(
        &self,
        token: &str,
        names: (String, String),
        password: String,
        client: ClientInfo,
    ) -> Result<SessionStart, AccountsError>;
}

/// What the accounts service can answer instead of a result. Each maps to a stable code (its
/// Fluent key) and a status in one place, `From<AccountsError> for AppError`.
#[derive(Debug, thiserror::Error)]
pub enum AccountsError {
    /// A field the user sent is not acceptable; the code says which and why.
    #[error("invalid input: {0}")]
    Invalid(&'static str),
    #[error("wrong e-mail address or password")]
    BadCredentials,
    /// Over a rate limit; try again after this many seconds.
    #[error("too many attempts")]
    TooManyAttempts(u64),
    /// Sign-in from a new place to an account under attack: a link was e-mailed if the password
    /// was right (the same answer if it was not).
    #[error("sign-in link sent if the password was right")]
    SignInLinkSent,
    #[error("the sign-in link is unknown, used or expired")]
    SignInLinkInvalid,
    #[error("no live session")]
    SessionExpired,
    #[error("the confirmation link is unknown, used or expired")]
    ConfirmationInvalid,
    #[error("the reset link is unknown, used or expired")]
    ResetInvalid,
    #[error("the invitation is unknown, used, revoked or expired")]
    InvitationInvalid,
    #[error("the current password is wrong")]
    WrongPassword,
    #[error("not the password this sign-up was made with")]
    ConfirmationPassword,
    #[error("not found (or another organisation's)")]
    NotFound,
    #[error("the caller's role does not allow this")]
    Forbidden,
    #[error("an organisation keeps at least one owner")]
    LastOwner,
    #[error("already a member")]
    AlreadyMember,
    #[error("internal: {0}")]
    Internal(String),
}

impl AccountsError {
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        Self::Internal(cause.to_string())
    }
}

impl From<AccountsError> for AppError {
    fn from(e: AccountsError) -> Self {
        use AccountsError::*;
        let (code, status) = match e {
            Invalid(code) => (code, 422),
            BadCredentials => ("error-login-invalid", 401),
            TooManyAttempts(secs) => return AppError::too_many(secs),
            SignInLinkSent => ("error-sign-in-link-sent", 401),
            SignInLinkInvalid => ("error-sign-in-link-invalid", 400),
            SessionExpired => ("error-session-expired", 401),
            ConfirmationInvalid => ("error-confirm-invalid", 400),
            ResetInvalid => ("error-reset-invalid", 400),
            InvitationInvalid => ("error-invite-invalid", 404),
            WrongPassword => ("error-password-wrong", 401),
            ConfirmationPassword => ("error-confirm-password", 401),
            NotFound => ("error-not-found", 404),
            Forbidden => ("error-forbidden", 403),
            LastOwner => ("error-last-owner", 409),
            AlreadyMember => ("error-already-member", 409),
            Internal(cause) => return crate::server::request::internal(cause),
        };
        AppError::with_status(code, status)
    }
}
