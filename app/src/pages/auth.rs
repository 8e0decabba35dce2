//! Sign-in and sign-up pages. Plain forms (they work without JavaScript: the server sets the
//! session cookie and redirects); once hydrated they post in place (`PostForm`) and keep the
//! access token.

use super::PageMeta;
use crate::accounts::api::{ConfirmRegistration, RegisterAccount, SignIn, SignInWithLink};
use crate::accounts::client;
use crate::forms::{outcome_of, status_line};
use crate::i18n::use_i18n;
use crate::layout::PublicLayout;
use crate::post_form::{PostForm, Posting};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

/// Once a session-starting form succeeds in the browser: keep the token from the answer (an
/// `AccessGrant` as JSON), go where the visitor was heading.
pub(super) fn on_signed_in(posting: Posting, next: String) {
    Effect::new(move |_| {
        if let Some(Ok(grant)) = posting.last.get() {
            client::store_grant_json(&grant);
            super::misc::load_page(&crate::accounts::safe_next(&next));
        }
    });
}

/// A new account's first and last name, side by side; their ids start with `prefix`.
pub(super) fn name_fields(prefix: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let (first, last) = (format!("{prefix}-first"), format!("{prefix}-last"));
    view! {
        <div class="field-row">
            <div class="field">
                <label for=first.clone()>{t("auth-first-name")}</label>
                <input id=first name="first_name" required autocomplete="given-name"/>
            </div>
            <div class="field">
                <label for=last.clone()>{t("auth-last-name")}</label>
                <input id=last name="last_name" required autocomplete="family-name"/>
            </div>
        </div>
    }
}

/// Only failures show here: a success moves on to the app.
pub(super) fn error_view(posting: Posting, form: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    move || status_line(i18n, outcome_of(posting.outcome(), form), None)
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let posting = Posting::new();
    let next = use_query_map().with_untracked(|q| q.get("next")).unwrap_or_else(|| "/app".into());
    on_signed_in(posting, next.clone());
    view! {
        <PageMeta title="meta-login-title"/>
        <PublicLayout>
            <section class="section narrow auth">
                <h1>{t("auth-login-title")}</h1>
                <PostForm action=SignIn::PATH posting>
                    <input type="hidden" name="next" value=next/>
                    <div class="field">
                        <label for="login-email">{t("auth-email")}</label>
                        <input id="login-email" name="email" type="email" required autocomplete="username"/>
                    </div>
                    <div class="field">
                        <label for="login-password">{t("auth-password")}</label>
                        <input id="login-password" name="password" type="password" required autocomplete="current-password"/>
                    </div>
                    {error_view(posting, "login")}
                    <button type="submit" class="btn btn-primary" disabled=move || posting.pending.get()>
                        {move || if posting.pending.get() { i18n.t("auth-working") } else { i18n.t("auth-login-submit") }}
                    </button>
                </PostForm>
                <p class="auth-alt"><a href="/forgot-password">{t("auth-forgot-link")}</a></p>
                <p class="auth-alt">{t("auth-login-no-account")} " " <a href="/register">{t("auth-login-create")}</a></p>
            </section>
        </PublicLayout>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let posting = Posting::new();
    let sent = move || matches!(outcome_of(posting.outcome(), "register"), Some(Ok(())));
    view! {
        <PageMeta title="meta-register-title"/>
        <PublicLayout>
            <section class="section narrow auth" id="register">
                <h1>{t("auth-register-title")}</h1>
                <Show when=sent fallback=move || view! { <RegisterForm posting/> }>
                    <p class="form-status ok" role="status">{t("auth-register-sent")}</p>
                </Show>
                <p class="auth-alt">{t("auth-register-have-account")} " " <a href="/login">{t("nav-sign-in")}</a></p>
            </section>
        </PublicLayout>
    }
}

#[component]
fn RegisterForm(posting: Posting) -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    view! {
                <PostForm action=RegisterAccount::PATH posting>
                    <input type="hidden" name="lang" value=move || i18n.lang.get().code()/>
                    {name_fields("reg")}
                    <div class="field">
                        <label for="reg-email">{t("auth-email")}</label>
                        <input id="reg-email" name="email" type="email" required autocomplete="email"/>
                    </div>
                    <div class="field">
                        <label for="reg-password">{t("auth-password")}</label>
                        <input id="reg-password" name="password" type="password" required autocomplete="new-password" aria-describedby="reg-password-hint"/>
                        <p id="reg-password-hint" class="hint">{t("auth-password-hint")}</p>
                    </div>
                    <div class="field">
                        <label for="reg-org">{t("auth-organisation")}</label>
                        <input id="reg-org" name="organisation" required autocomplete="organization"/>
                    </div>
                    {error_view(posting, "register")}
                    <button type="submit" class="btn btn-primary" disabled=move || posting.pending.get()>
                        {move || if posting.pending.get() { i18n.t("auth-working") } else { i18n.t("auth-register-submit") }}
                    </button>
                </PostForm>
    }
}

/// The page the confirmation e-mail links to. A button, not an automatic request: mail scanners
/// that open links must not be able to use the single-use token.
#[component]
pub fn ConfirmPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let posting = Posting::new();
    let token = use_query_map().with_untracked(|q| q.get("token")).unwrap_or_default();
    on_signed_in(posting, "/app".into());
    view! {
        <PageMeta title="meta-confirm-title"/>
        <PublicLayout>
            <section class="section narrow auth">
                <h1>{t("auth-confirm-title")}</h1>
                <p>{t("auth-confirm-intro")}</p>
                <PostForm action=ConfirmRegistration::PATH posting>
                    <input type="hidden" name="token" value=token/>
                    <label for="confirm-password">{t("auth-password")}</label>
                    <input id="confirm-password" name="password" type="password" required autocomplete="current-password"/>
                    {error_view(posting, "confirm")}
                    <button type="submit" class="btn btn-primary">{t("auth-confirm-submit")}</button>
                </PostForm>
            </section>
        </PublicLayout>
    }
}

/// The e-mailed sign-in link of an account under attack. Like the confirmation page, a button
/// posts the token: mail scanners that open links must not be able to spend it.
#[component]
pub fn SignInLinkPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let posting = Posting::new();
    let token = use_query_map().with_untracked(|q| q.get("token")).unwrap_or_default();
    on_signed_in(posting, "/app".into());
    view! {
        <PageMeta title="meta-signin-link-title"/>
        <PublicLayout>
            <section class="section narrow auth">
                <h1>{t("auth-signin-link-title")}</h1>
                <p>{t("auth-signin-link-intro")}</p>
                <PostForm action=SignInWithLink::PATH posting>
                    <input type="hidden" name="token" value=token/>
                    {error_view(posting, "login-link")}
                    <button type="submit" class="btn btn-primary">{t("auth-signin-link-submit")}</button>
                </PostForm>
            </section>
        </PublicLayout>
    }
}
