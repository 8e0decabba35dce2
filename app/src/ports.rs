//! The services server functions call, declared here so the UI crate can name them and
//! implemented in the `server` crate (hexagonal style). The server provides a [`Services`] value
//! as context to every render and server-function call.

use crate::accounts::model::{
    AccessGrant, Caller, InvitationPreview, MembersOverview, Profile, Registration, Role, Viewer,
};
use crate::contact::model::ContactMessage;
use crate::error::AppError;
use std::sync::Arc;

#[async_trait::async_trait]
pub trait ContactInbox: Send + Sync {
    /// Durably records a contact-form message.
    async fn receive(&self, message: ContactMessage) -> Result<(), AppError>;
}

/// Where a request came from, for the sign-in history and throttling.
#[derive(Clone, Debug, Default)]
pub struct ClientInfo {
    pub ip: String,
    pub user_agent: String,
}

/// A session change: what the browser gets, plus the `Set-Cookie` value carrying the refresh
/// token (built by the server, which knows whether cookies must be `Secure`).
pub struct SessionStart {
    pub grant: AccessGrant,
    pub set_cookie: String,
}

#[async_trait::async_trait]
pub trait Accounts: Send + Sync {
    /// Starts a sign-up: e-mails a confirmation link (or, for an address that already has an
    /// account, a note saying so). Answers the same either way, so it reveals no address.
    async fn register(&self, form: Registration) -> Result<(), AppError>;
    /// Finishes a sign-up from its e-mailed link: creates the owner and organisation, signs in.
    async fn confirm_registration(&self, token: &str, client: ClientInfo) -> Result<SessionStart, AppError>;
    async fn login(&self, email: &str, password: String, client: ClientInfo) -> Result<SessionStart, AppError>;
    /// Rotates the refresh token from the cookie; a replayed token ends its whole family.
    async fn refresh(&self, refresh_token: Option<&str>) -> Result<SessionStart, AppError>;
    /// Ends the session; returns the `Set-Cookie` value that clears the cookie.
    async fn logout(&self, refresh_token: Option<&str>) -> Result<String, AppError>;
    /// Sends a reset link if the address has an account; answers the same either way.
    async fn request_password_reset(&self, email: &str) -> Result<(), AppError>;
    /// Sets a new password with a reset token (single use, one hour), ends every session and
    /// notifies the account's owner.
    async fn reset_password(&self, token: &str, password: String) -> Result<(), AppError>;
    /// The signed-in viewer for a page render, from the refresh cookie, without rotating it.
    async fn viewer_from_cookie(&self, refresh_token: Option<&str>) -> Result<Option<Viewer>, AppError>;
    /// Who is calling: a bearer access token, else the session cookie; membership and role are
    /// read from the store every time.
    async fn authorize(&self, bearer: Option<&str>, cookie: Option<&str>) -> Result<Caller, AppError>;
    async fn profile(&self, caller: &Caller) -> Result<Profile, AppError>;
    /// Rectification: names and the language e-mails are written in.
    async fn update_profile(&self, caller: &Caller, first: &str, last: &str, lang: &str) -> Result<(), AppError>;
    /// Checks the current password, sets the new one, ends every session and starts a new one
    /// for this browser, and e-mails a notice.
    async fn change_password(&self, caller: &Caller, current: String, new: String) -> Result<SessionStart, AppError>;
    /// Makes another of the caller's organisations the active one.
    async fn switch_org(&self, caller: &Caller, org_id: &str) -> Result<SessionStart, AppError>;
}

/// Organisation members and invitations. Every method takes the caller first.
#[async_trait::async_trait]
pub trait Members: Send + Sync {
    async fn overview(&self, caller: &Caller) -> Result<MembersOverview, AppError>;
    async fn invite(&self, caller: &Caller, email: &str, role: Role) -> Result<(), AppError>;
    async fn resend(&self, caller: &Caller, invitation_id: &str) -> Result<(), AppError>;
    async fn revoke(&self, caller: &Caller, invitation_id: &str) -> Result<(), AppError>;
    async fn change_role(&self, caller: &Caller, user_id: &str, role: Role) -> Result<(), AppError>;
    async fn remove(&self, caller: &Caller, user_id: &str) -> Result<(), AppError>;
    async fn preview(&self, token: &str) -> Result<InvitationPreview, AppError>;
    /// Joins the invited address to the organisation (creating the account, or checking its
    /// password) and signs it in there.
    async fn accept(
        &self,
        token: &str,
        names: (String, String),
        password: String,
        client: ClientInfo,
    ) -> Result<SessionStart, AppError>;
}

#[derive(Clone)]
pub struct Services {
    pub contact: Arc<dyn ContactInbox>,
    pub accounts: Arc<dyn Accounts>,
    pub members: Arc<dyn Members>,
}

/// The services of this request; their absence is a wiring bug, reported as an internal error.
pub fn services() -> Result<Services, AppError> {
    leptos::prelude::use_context::<Services>().ok_or_else(|| AppError::internal("Services missing from context"))
}
