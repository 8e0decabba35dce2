//! The invitation link: shows which organisation invites which address, then joins — creating
//! the account (names and password) or, for an existing account, asking for its password.

use super::PageMeta;
use crate::accounts::client;
use crate::accounts::members_api::{AcceptInvitation, preview_invitation};
use crate::fetch::in_request;
use crate::forms::{outcome, status_line};
use crate::i18n::use_i18n;
use crate::layout::PublicLayout;
use crate::sync_view::SyncView;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn InvitePage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let token = use_query_map().with_untracked(|q| q.get("token")).unwrap_or_default();
    let preview = Resource::new_blocking(
        {
            let token = token.clone();
            move || token.clone()
        },
        |token| in_request(preview_invitation(token)),
    );
    let accept = ServerAction::<AcceptInvitation>::new();
    Effect::new(move |_| {
        if let Some(Ok(grant)) = accept.value().get() {
            client::store_grant(&grant);
            super::misc::load_page("/app");
        }
    });
    let error = move || status_line(i18n, outcome(accept.value().get(), "invite"), None);
    view! {
        <PageMeta title="meta-invite-title"/>
        <PublicLayout>
            <section class="section narrow auth">
                <h1>{t("invite-title")}</h1>
                <Suspense><SyncView>
                    {move || {
                        let token = token.clone();
                        Suspend::new(async move {
                            let p = match preview.await {
                                Ok(p) => p,
                                Err(e) => return view! { <p class="form-status err" role="alert">{i18n.t(&e.code)}</p> }.into_any(),
                            };
                            let intro = format!("{} — {} ({})", p.org_name, p.email, i18n.t(match p.role {
                                crate::accounts::model::Role::Owner => "app-role-owner",
                                crate::accounts::model::Role::Admin => "app-role-admin",
                                crate::accounts::model::Role::Member => "app-role-member",
                            }));
                            let existing = p.existing_account;
                            view! {
                                <p class="lead invite-intro">{intro}</p>
                                <p>{move || if existing { i18n.t("invite-existing") } else { i18n.t("invite-new") }}</p>
                                <ActionForm action=accept><SyncView>
                                    <input type="hidden" name="token" value=token/>
                                    {(!existing).then(|| view! {
                                        <div class="field-row">
                                            <div class="field">
                                                <label for="invite-first">{t("auth-first-name")}</label>
                                                <input id="invite-first" name="first_name" required autocomplete="given-name"/>
                                            </div>
                                            <div class="field">
                                                <label for="invite-last">{t("auth-last-name")}</label>
                                                <input id="invite-last" name="last_name" required autocomplete="family-name"/>
                                            </div>
                                        </div>
                                    })}
                                    <div class="field">
                                        <label for="invite-password">{t("auth-password")}</label>
                                        <input id="invite-password" name="password" type="password" required
                                            autocomplete=if existing { "current-password" } else { "new-password" }/>
                                    </div>
                                    {error}
                                    <button type="submit" class="btn btn-primary">{t("invite-submit")}</button>
                                </SyncView></ActionForm>
                            }.into_any()
                        })
                    }}
                </SyncView></Suspense>
            </section>
        </PublicLayout>
    }
}
