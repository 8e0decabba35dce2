//! Server functions for Settings → Members and the invitation link. Each checks the caller first
//! (`ssr::caller`), then calls `ports::Members`; the forms also work as plain HTML posts.

use super::model::{AccessGrant, InvitationPreview, MembersOverview};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn role(raw: &str) -> Result<super::model::Role, AppError> {
    super::model::Role::parse(raw).ok_or_else(|| AppError::invalid("error-bad-request"))
}

#[server(name = MembersOverviewFn, prefix = "/api", endpoint = "members/overview")]
pub async fn members_overview() -> Result<MembersOverview, AppError> {
    let caller = crate::ssr::caller().await?;
    crate::ssr::respond(crate::ports::services()?.members.overview(&caller).await)
}

#[server(name = InviteMember, prefix = "/api", endpoint = "members/invite")]
pub async fn invite_member(email: String, role_name: String) -> Result<(), AppError> {
    let caller = crate::ssr::caller().await?;
    let result = async { crate::ports::services()?.members.invite(&caller, &email, role(&role_name)?).await }.await;
    crate::ssr::finish_form(result, "invite")
}

#[server(name = ResendInvitation, prefix = "/api", endpoint = "members/resend")]
pub async fn resend_invitation(id: String) -> Result<(), AppError> {
    let caller = crate::ssr::caller().await?;
    crate::ssr::finish_form(crate::ports::services()?.members.resend(&caller, &id).await, "members")
}

#[server(name = RevokeInvitation, prefix = "/api", endpoint = "members/revoke")]
pub async fn revoke_invitation(id: String) -> Result<(), AppError> {
    let caller = crate::ssr::caller().await?;
    crate::ssr::finish_form(crate::ports::services()?.members.revoke(&caller, &id).await, "members")
}

#[server(name = ChangeMemberRole, prefix = "/api", endpoint = "members/role")]
pub async fn change_member_role(user_id: String, role_name: String) -> Result<(), AppError> {
    let caller = crate::ssr::caller().await?;
    let result =
        async { crate::ports::services()?.members.change_role(&caller, &user_id, role(&role_name)?).await }.await;
    crate::ssr::finish_form(result, "members")
}

#[server(name = RemoveMember, prefix = "/api", endpoint = "members/remove")]
pub async fn remove_member(user_id: String) -> Result<(), AppError> {
    let caller = crate::ssr::caller().await?;
    crate::ssr::finish_form(crate::ports::services()?.members.remove(&caller, &user_id).await, "members")
}

#[server(name = PreviewInvitation, prefix = "/api", endpoint = "invitations/preview")]
pub async fn preview_invitation(token: String) -> Result<InvitationPreview, AppError> {
    crate::ssr::respond(crate::ports::services()?.members.preview(&token).await)
}

#[server(name = AcceptInvitation, prefix = "/api", endpoint = "invitations/accept")]
pub async fn accept_invitation(
    token: String,
    first_name: Option<String>,
    last_name: Option<String>,
    password: String,
) -> Result<AccessGrant, AppError> {
    let names = (first_name.unwrap_or_default(), last_name.unwrap_or_default());
    let result = crate::ports::services()?.members.accept(&token, names, password, crate::ssr::client_info()).await;
    crate::ssr::finish_session(result, "/app", "invite")
}
