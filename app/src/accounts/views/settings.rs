//! Settings: profile (rectification, language), password, recent sign-ins, and — for owners and
//! admins — members and invitations. Every form also works as a plain HTML post.

use crate::accounts::api::{ChangePassword, UpdateProfile, profile};
use crate::accounts::client;
use crate::accounts::members_api::{
    ChangeMemberRole, InviteMember, RemoveMember, ResendInvitation, RevokeInvitation, members_overview,
};
use crate::accounts::model::{Role, Viewer};
use crate::error::AppError;
use crate::fetch::in_request;
use crate::forms::{outcome, status_line};
use crate::i18n::{I18n, Lang, use_i18n};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::text::utc_timestamp;

fn role_options(roles: &'static [Role], selected: Role, i18n: I18n) -> impl IntoView {
    roles
        .iter()
        .copied()
        .map(|r| view! { <option value=r.as_str() selected=r == selected>{move || i18n.t(r.key())}</option> })
        .collect_view()
}

/// The status line of a form posted to server function `S`.
fn status<S>(i18n: I18n, action: ServerAction<S>, form: &'static str, ok_key: &'static str) -> impl IntoView
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    move || status_line(i18n, outcome(action.value().get(), form), Some(ok_key))
}

#[component]
pub fn Settings() -> impl IntoView {
    let i18n = use_i18n();
    let viewer = expect_context::<Viewer>();
    let t = move |key: &'static str| move || i18n.t(key);
    view! {
        <section class="settings">
            <h1>{t("app-nav-settings")}</h1>
            <dl class="facts">
                <dt>{t("app-settings-org")}</dt>
                <dd>{viewer.org_name.clone()}</dd>
                <dt>{t("app-settings-role")}</dt>
                <dd>{move || i18n.t(viewer.role.key())}</dd>
            </dl>
            <ProfileSettings/>
            {viewer.role.can_manage_members().then(|| view! { <MemberSettings caller_role=viewer.role/> })}
            <crate::inbox::views::WhatsAppSettings/>
            <crate::inbox::views::QuickReplySettings/>
            {viewer.role.can_manage_members().then(|| view! { <ContactSettings/> })}
        </section>
    }
}

#[component]
fn ProfileSettings() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let update = ServerAction::<UpdateProfile>::new();
    let password = ServerAction::<ChangePassword>::new();
    Effect::new(move |_| {
        if let Some(Ok(grant)) = password.value().get() {
            client::store_grant(&grant);
        }
    });
    let data = Resource::new(move || update.version().get(), |_| in_request(profile()));
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let p = match data.await {
                    Ok(p) => p,
                    Err(e) => return view! { <p class="form-status err">{i18n.t(&e.code)}</p> }.into_any(),
                };
                let lang = p.lang.clone();
                view! {
                    <section class="card-section" aria-labelledby="profile-title">
                        <h2 id="profile-title">{t("settings-profile-title")}</h2>
                        <ActionForm action=update>
                            <div class="field-row">
                                <div class="field">
                                    <label for="profile-first">{t("auth-first-name")}</label>
                                    <input id="profile-first" name="first_name" value=p.first_name.clone() required/>
                                </div>
                                <div class="field">
                                    <label for="profile-last">{t("auth-last-name")}</label>
                                    <input id="profile-last" name="last_name" value=p.last_name.clone() required/>
                                </div>
                            </div>
                            <div class="field">
                                <label for="profile-lang">{t("settings-language")}</label>
                                <select id="profile-lang" name="lang">
                                    {Lang::ALL.into_iter().map(|l| view! {
                                        <option value=l.code() selected=l.code() == lang>{l.native_name()}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            {status(i18n, update, "profile", "settings-saved")}
                            <button type="submit" class="btn btn-primary">{t("settings-save")}</button>
                        </ActionForm>
                    </section>
                    <section class="card-section" aria-labelledby="password-title">
                        <h2 id="password-title">{t("settings-password-title")}</h2>
                        <ActionForm action=password>
                            <div class="field">
                                <label for="current-password">{t("settings-current-password")}</label>
                                <input id="current-password" name="current_password" type="password" required autocomplete="current-password"/>
                            </div>
                            <div class="field">
                                <label for="new-password">{t("auth-new-password")}</label>
                                <input id="new-password" name="new_password" type="password" required autocomplete="new-password"/>
                            </div>
                            {status(i18n, password, "password", "settings-password-changed")}
                            <button type="submit" class="btn btn-primary">{t("settings-save")}</button>
                        </ActionForm>
                    </section>
                    <section class="card-section" aria-labelledby="signins-title">
                        <h2 id="signins-title">{t("settings-signins-title")}</h2>
                        <table class="table">
                            <thead><tr>
                                <th scope="col">{t("settings-signins-when")}</th>
                                <th scope="col">{t("settings-signins-ip")}</th>
                                <th scope="col">{t("settings-signins-browser")}</th>
                            </tr></thead>
                            <tbody>
                                {p.recent_sign_ins.into_iter().map(|s| view! {
                                    <tr><td>{utc_timestamp(s.at)}</td><td>{s.ip}</td><td class="ua">{s.user_agent}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

/// The country phone numbers without a country code are read in (contacts, imports).
#[component]
fn ContactSettings() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let save = ServerAction::<crate::contacts::api::SetDefaultCountry>::new();
    let current = Resource::new(move || save.version().get(), |_| in_request(crate::contacts::api::default_country()));
    view! {
        <section class="card-section" aria-labelledby="contact-settings-title" id="contact-settings">
            <h2 id="contact-settings-title">{t("settings-contacts-title")}</h2>
            <ActionForm action=save>
                <label for="default-country">{t("import-country")}</label>
                <Suspense>
                    {move || Suspend::new(async move {
                        let value = current.await.unwrap_or_default();
                        view! { <input id="default-country" name="country" value=value maxlength="2" size="3" aria-describedby="default-country-hint"/> }
                    })}
                </Suspense>
                <p id="default-country-hint" class="hint">{t("import-country-hint")}</p>
                {status(i18n, save, "country", "settings-saved")}
                <button type="submit" class="btn btn-primary">{t("settings-save")}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn MemberSettings(caller_role: Role) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let invite = ServerAction::<InviteMember>::new();
    let change = ServerAction::<ChangeMemberRole>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let resend = ServerAction::<ResendInvitation>::new();
    let revoke = ServerAction::<RevokeInvitation>::new();
    let versions = move || {
        (
            invite.version().get(),
            change.version().get(),
            remove.version().get(),
            resend.version().get(),
            revoke.version().get(),
        )
    };
    let data = Resource::new(versions, |_| in_request(members_overview()));
    // Only owners may hand out the owner role.
    let assignable: &'static [Role] = if caller_role == Role::Owner {
        &[Role::Member, Role::Admin, Role::Owner]
    } else {
        &[Role::Member, Role::Admin]
    };
    view! {
        <section class="card-section" aria-labelledby="members-title" id="members">
            <h2 id="members-title">{t("members-title")}</h2>
            {status(i18n, change, "members", "settings-saved")}
            {status(i18n, remove, "members", "settings-saved")}
            <Suspense>
                {move || {
                    Suspend::new(async move {
                        let overview = match data.await {
                            Ok(o) => o,
                            Err(e) => return view! { <p class="form-status err">{i18n.t(&e.code)}</p> }.into_any(),
                        };
                        view! {
                            <table class="table">
                                <thead><tr>
                                    <th scope="col">{t("members-name")}</th>
                                    <th scope="col">{t("auth-email")}</th>
                                    <th scope="col">{t("members-role")}</th>
                                    <th scope="col">{t("members-actions")}</th>
                                </tr></thead>
                                <tbody>
                                    {overview.members.into_iter().map(|m| {
                                        let (id_role, id_remove) = (m.user_id.clone(), m.user_id.clone());
                                        let label = format!("{} — {}", i18n.t("members-role"), m.name);
                                        view! {
                                            <tr data-email=m.email.clone()>
                                                <td>{m.name.clone()}{m.is_self.then(|| view! { " " <span class="badge-soft">{move || i18n.t("members-you")}</span> })}</td>
                                                <td>{m.email.clone()}</td>
                                                <td>
                                                    <ActionForm action=change attr:class="inline-form">
                                                        <input type="hidden" name="user_id" value=id_role.clone()/>
                                                        <select name="role_name" aria-label=label.clone()>{role_options(assignable, m.role, i18n)}</select>
                                                        <button type="submit" class="btn btn-ghost">{t("members-save-role")}</button>
                                                    </ActionForm>
                                                </td>
                                                <td>
                                                    <ActionForm action=remove attr:class="inline-form">
                                                        <input type="hidden" name="user_id" value=id_remove.clone()/>
                                                        <button type="submit" class="btn btn-ghost">{t("members-remove")}</button>
                                                    </ActionForm>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <h3>{t("members-pending-title")}</h3>
                            {if overview.invitations.is_empty() {
                                view! { <p>{t("members-none-pending")}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="pending">
                                        {overview.invitations.into_iter().map(|inv| {
                                            let (id_resend, id_revoke) = (inv.id.clone(), inv.id.clone());
                                            view! {
                                                <li data-email=inv.email.clone()>
                                                    <span>{inv.email.clone()} " · " {move || i18n.t(inv.role.key())} " · " {t("members-pending-expires")} " " {utc_timestamp(inv.expires_at)}</span>
                                                    <ActionForm action=resend attr:class="inline-form">
                                                        <input type="hidden" name="id" value=id_resend.clone()/>
                                                        <button type="submit" class="btn btn-ghost">{t("members-resend")}</button>
                                                    </ActionForm>
                                                    <ActionForm action=revoke attr:class="inline-form">
                                                        <input type="hidden" name="id" value=id_revoke.clone()/>
                                                        <button type="submit" class="btn btn-ghost">{t("members-revoke")}</button>
                                                    </ActionForm>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        }.into_any()
                    })
                }}
            </Suspense>
            <h3 id="invite">{t("members-invite-title")}</h3>
            <ActionForm action=invite>
                <div class="field-row">
                    <div class="field">
                        <label for="invite-email">{t("auth-email")}</label>
                        <input id="invite-email" name="email" type="email" required/>
                    </div>
                    <div class="field">
                        <label for="invite-role">{t("members-role")}</label>
                        <select id="invite-role" name="role_name">{role_options(assignable, Role::Member, i18n)}</select>
                    </div>
                </div>
                {status(i18n, invite, "invite", "members-invited")}
                <button type="submit" class="btn btn-primary">{t("members-invite-submit")}</button>
            </ActionForm>
        </section>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_unix_seconds_as_utc() {
        assert_eq!(super::utc_timestamp(0), "1970-01-01 00:00 UTC");
        assert_eq!(super::utc_timestamp(1_795_713_300), "2026-11-26 17:15 UTC");
        assert_eq!(super::utc_timestamp(951_782_400), "2000-02-29 00:00 UTC");
    }
}
