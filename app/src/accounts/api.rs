//! Server functions for sign-up, sign-in and sessions. Each is a thin call into
//! `ports::Accounts`; the refresh token only ever travels in the HttpOnly cookie.

use super::model::{AccessGrant, Viewer};
use crate::error::AppError;
use leptos::prelude::*;

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
    crate::ssr::finish_form(crate::ports::services()?.accounts.register(form).await, "register")
}

#[server(name = ConfirmRegistration, prefix = "/api", endpoint = "auth/confirm")]
pub async fn confirm_registration(token: String) -> Result<AccessGrant, AppError> {
    let result = crate::ports::services()?.accounts.confirm_registration(&token, crate::ssr::client_info()).await;
    crate::ssr::finish_session(result, "/app", "confirm")
}

#[server(name = SignIn, prefix = "/api", endpoint = "auth/login")]
pub async fn sign_in(email: String, password: String, next: Option<String>) -> Result<AccessGrant, AppError> {
    let result = crate::ports::services()?.accounts.login(&email, password, crate::ssr::client_info()).await;
    let next = crate::accounts::safe_next(next.as_deref().unwrap_or("/app"));
    crate::ssr::finish_session(result, &next, "login")
}

#[server(name = RefreshSession, prefix = "/api", endpoint = "auth/refresh")]
pub async fn refresh_session() -> Result<AccessGrant, AppError> {
    crate::ssr::require_same_origin()?;
    let cookie = crate::ssr::cookie(crate::accounts::REFRESH_COOKIE);
    let result = crate::ports::services()?.accounts.refresh(cookie.as_deref()).await;
    crate::ssr::finish_session(result, "/app", "session")
}

#[server(name = SignOut, prefix = "/api", endpoint = "auth/logout")]
pub async fn sign_out() -> Result<(), AppError> {
    crate::ssr::require_same_origin()?;
    let cookie = crate::ssr::cookie(crate::accounts::REFRESH_COOKIE);
    let clear = crate::ports::services()?.accounts.logout(cookie.as_deref()).await?;
    crate::ssr::set_cookie(&clear);
    if crate::ssr::is_plain_form_post() {
        leptos_axum::redirect("/login");
    }
    Ok(())
}

/// The signed-in viewer, from the session cookie (used to render protected pages on the server).
#[server(name = CurrentViewer, prefix = "/api", endpoint = "auth/viewer")]
pub async fn current_viewer() -> Result<Option<Viewer>, AppError> {
    crate::ssr::require_same_origin()?;
    let cookie = crate::ssr::cookie(crate::accounts::REFRESH_COOKIE);
    crate::ports::services()?.accounts.viewer_from_cookie(cookie.as_deref()).await
}

/// Always answers the same, whether or not the address has an account.
#[server(name = RequestPasswordReset, prefix = "/api", endpoint = "auth/forgot")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    let result = crate::ports::services()?.accounts.request_password_reset(&email).await;
    crate::ssr::finish_form(result, "forgot")
}

#[server(name = ResetPassword, prefix = "/api", endpoint = "auth/reset")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    let result = crate::ports::services()?.accounts.reset_password(&token, password).await;
    crate::ssr::finish_form(result, "reset")
}

#[server(name = ProfileFn, prefix = "/api", endpoint = "profile")]
pub async fn profile() -> Result<super::model::Profile, AppError> {
    let caller = crate::ssr::caller().await?;
    crate::ssr::respond(crate::ports::services()?.accounts.profile(&caller).await)
}

#[server(name = UpdateProfile, prefix = "/api", endpoint = "profile/update")]
pub async fn update_profile(first_name: String, last_name: String, lang: String) -> Result<(), AppError> {
    let caller = crate::ssr::caller().await?;
    let result = crate::ports::services()?.accounts.update_profile(&caller, &first_name, &last_name, &lang).await;
    crate::ssr::finish_form(result, "profile")
}

#[server(name = ChangePassword, prefix = "/api", endpoint = "profile/password")]
pub async fn change_password(current_password: String, new_password: String) -> Result<AccessGrant, AppError> {
    let caller = crate::ssr::caller().await?;
    let result = crate::ports::services()?.accounts.change_password(&caller, current_password, new_password).await;
    crate::ssr::finish_session(result, "/app/settings?sent=password", "password")
}

#[server(name = SwitchOrg, prefix = "/api", endpoint = "auth/switch")]
pub async fn switch_org(org_id: String) -> Result<AccessGrant, AppError> {
    let caller = crate::ssr::caller().await?;
    let result = crate::ports::services()?.accounts.switch_org(&caller, &org_id).await;
    crate::ssr::finish_session(result, "/app", "switch")
}
