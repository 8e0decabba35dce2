//! Server functions for Settings → Members and the invitation link. Each checks the caller first,
//! then calls `port::Members`; the forms also work as plain HTML posts.

use super::model::{AccessGrant, InvitationPreview, MembersOverview};
use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::model::Role,
    crate::ids::UserId,
    crate::server::request::{client_info, require_same_origin},
    crate::server::respond::{finish_form, finish_session},
    crate::server::{caller, services},
};

#[cfg(feature = "ssr")]
fn role(raw: &str) -> Result<Role, AppError> {
    Role::parse(raw).ok_or_else(|| AppError::invalid(AppError::BAD_REQUEST))
}

#[server(name = MembersOverviewFn, prefix = "/api", endpoint = "members/overview")]
pub async fn members_overview() -> Result<MembersOverview, AppError> {
    let caller = caller().await?;
    Ok(services()?.members.overview(&caller).await?)
}

#[server(name = InviteMember, prefix = "/api", endpoint = "members/invite")]
pub async fn invite_member(email: String, role_name: String) -> Result<(), AppError> {
    let caller = caller().await?;
    let result =
        async { Ok::<_, AppError>(services()?.members.invite(&caller, &email, role(&role_name)?).await?) }.await;
    finish_form(result, "invite")
}

#[server(name = ResendInvitation, prefix = "/api", endpoint = "members/resend")]
pub async fn resend_invitation(id: String) -> Result<(), AppError> {
    let caller = caller().await?;
    finish_form(services()?.members.resend(&caller, &id).await, "members")
}

#[server(name = RevokeInvitation, prefix = "/api", endpoint = "members/revoke")]
pub async fn revoke_invitation(id: String) -> Result<(), AppError> {
    let caller = caller().await?;
    finish_form(services()?.members.revoke(&caller, &id).await, "members")
}

#[server(name = ChangeMemberRole, prefix = "/api", endpoint = "members/role")]
pub async fn change_member_role(user_id: String, role_name: String) -> Result<(), AppError> {
    let caller = caller().await?;
    let target = UserId::new(user_id);
    let result =
        async { Ok::<_, AppError>(services()?.members.change_role(&caller, &target, role(&role_name)?).await?) };
    finish_form(result.await, "members")
}

#[server(name = RemoveMember, prefix = "/api", endpoint = "members/remove")]
pub async fn remove_member(user_id: String) -> Result<(), AppError> {
    let caller = caller().await?;
    finish_form(services()?.members.remove(&caller, &UserId::new(user_id)).await, "members")
}

#[server(name = PreviewInvitation, prefix = "/api", endpoint = "invitations/preview")]
pub async fn preview_invitation(token: String) -> Result<InvitationPreview, AppError> {
    Ok(services()?.members.preview(&token).await?)
}

#[server(name = AcceptInvitation, prefix = "/api", endpoint = "invitations/accept")]
pub async fn accept_invitation(
    token: String,
    first_name: Option<String>,
    last_name: Option<String>,
    password: String,
) -> Result<AccessGrant, AppError> {
    require_same_origin()?;
    let names = (first_name.unwrap_or_default(), last_name.unwrap_or_default());
    let result = services()?.members.accept(&token, names, password, client_info()).await;
    finish_session(result, "/app", "invite").await
}
