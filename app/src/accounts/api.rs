//! Server functions for sign-up, sign-in and sessions. Each is a thin call into
//! `port::Accounts`; the refresh token only ever travels in the HttpOnly cookie.

use super::model::{AccessGrant, Viewer};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    crate::server::request::{client_info, require_same_origin},
    crate::server::respond::{finish_form, finish_session, session_cookie, set_session_cookie},
    crate::server::{caller, services},
};

#[server(name = RegisterAccount, prefix = "/api", endpoint = "auth/register")]
pub async fn register(
    first_name: String,
    last_name: String,
    email: String,
    password: String,
    organisation: String,
    lang: String,
) -> Result<(), AppError> {
    let form = super::model::Registration { first_name, last_name, email, password, organisation, lang };
    finish_form(services()?.accounts.register(form, client_info()).await, "register")
}

#[server(name = ConfirmRegistration, prefix = "/api", endpoint = "auth/confirm")]
pub async fn confirm_registration(token: String, password: String) -> Result<AccessGrant, AppError> {
    // Every call that starts a session is refused cross-site, so another site cannot sign a
    // visitor in to an account of its choosing (login CSRF).
    require_same_origin()?;
    let result = services()?.accounts.confirm_registration(&token, password, client_info()).await;
    finish_session(result, "/app", "confirm").await
}

#[server(name = SignIn, prefix = "/api", endpoint = "auth/login")]
pub async fn sign_in(email: String, password: String, next: Option<String>) -> Result<AccessGrant, AppError> {
    require_same_origin()?;
    let result = services()?.accounts.login(&email, password, client_info()).await;
    finish_session(result, &super::safe_next(next.as_deref().unwrap_or("/app")), "login").await
}

/// The e-mailed sign-in link of an account under attack (see `Accounts::login`): a page with a
/// button posts it here, so a mail scanner opening the link does not spend it.
#[server(name = SignInWithLink, prefix = "/api", endpoint = "auth/login-link")]
pub async fn sign_in_with_link(token: String) -> Result<AccessGrant, AppError> {
    require_same_origin()?;
    let result = services()?.accounts.sign_in_with_link(&token, client_info()).await;
    finish_session(result, "/app", "login-link").await
}

#[server(name = RefreshSession, prefix = "/api", endpoint = "auth/refresh")]
pub async fn refresh_session() -> Result<AccessGrant, AppError> {
    require_same_origin()?;
    let result = services()?.accounts.refresh(session_cookie().await?.as_deref()).await;
    finish_session(result, "/app", "session").await
}

#[server(name = SignOut, prefix = "/api", endpoint = "auth/logout")]
pub async fn sign_out() -> Result<(), AppError> {
    require_same_origin()?;
    services()?.accounts.logout(session_cookie().await?.as_deref()).await?;
    set_session_cookie(String::new(), 0).await?;
    if crate::server::request::is_plain_form_post() {
        leptos_axum::redirect("/login");
    }
    Ok(())
}

/// The signed-in viewer, from the session cookie (used to render protected pages on the server).
#[server(name = CurrentViewer, prefix = "/api", endpoint = "auth/viewer")]
pub async fn current_viewer() -> Result<Option<Viewer>, AppError> {
    require_same_origin()?;
    Ok(services()?.accounts.viewer_from_cookie(session_cookie().await?.as_deref()).await?)
}

/// Always answers the same, whether or not the address has an account.
#[server(name = RequestPasswordReset, prefix = "/api", endpoint = "auth/forgot")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    finish_form(services()?.accounts.request_password_reset(&email, client_info()).await, "forgot")
}

#[server(name = ResetPassword, prefix = "/api", endpoint = "auth/reset")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    finish_form(services()?.accounts.reset_password(&token, password).await, "reset")
}

#[server(name = ProfileFn, prefix = "/api", endpoint = "profile")]
pub async fn profile() -> Result<super::model::Profile, AppError> {
    let caller = caller().await?;
    Ok(services()?.accounts.profile(&caller).await?)
}

#[server(name = UpdateProfile, prefix = "/api", endpoint = "profile/update")]
pub async fn update_profile(first_name: String, last_name: String, lang: String) -> Result<(), AppError> {
    let caller = caller().await?;
    finish_form(services()?.accounts.update_profile(&caller, &first_name, &last_name, &lang).await, "profile")
}

#[server(name = ChangePassword, prefix = "/api", endpoint = "profile/password")]
pub async fn change_password(current_password: String, new_password: String) -> Result<AccessGrant, AppError> {
    let caller = caller().await?;
    let result = services()?.accounts.change_password(&caller, current_password, new_password).await;
    finish_session(result, "/app/settings?sent=password", "password").await
}

#[server(name = SwitchOrg, prefix = "/api", endpoint = "auth/switch")]
pub async fn switch_org(org_id: String) -> Result<AccessGrant, AppError> {
    let caller = caller().await?;
    let cookie = session_cookie().await?;
    let result = services()?.accounts.switch_org(&caller, &crate::ids::OrgId::new(org_id), cookie.as_deref()).await;
    finish_session(result, "/app", "switch").await
}
