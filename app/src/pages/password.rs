//! "Forgot password" and "choose a new password" pages. Plain forms, so they work without
//! JavaScript; the outcome is shown in place or, after a plain post, from the query string.

use super::PageMeta;
use crate::accounts::api::{RequestPasswordReset, ResetPassword};
use crate::forms::{outcome_of, status_line};
use crate::i18n::use_i18n;
use crate::layout::PublicLayout;
use crate::post_form::{PostForm, Posting};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let posting = Posting::new();
    let status = move || status_line(i18n, outcome_of(posting.outcome(), "forgot"), Some("auth-forgot-sent"));
    view! {
        <PageMeta title="meta-forgot-title"/>
        <PublicLayout>
            <section class="section narrow auth" id="forgot">
                <h1>{t("auth-forgot-title")}</h1>
                <p>{t("auth-forgot-intro")}</p>
                <PostForm action=RequestPasswordReset::PATH posting>
                    <div class="field">
                        <label for="forgot-email">{t("auth-email")}</label>
                        <input id="forgot-email" name="email" type="email" required autocomplete="email"/>
                    </div>
                    {status}
                    <button type="submit" class="btn btn-primary" disabled=move || posting.pending.get()>{t("auth-forgot-submit")}</button>
                </PostForm>
                <p class="auth-alt"><a href="/login">{t("nav-sign-in")}</a></p>
            </section>
        </PublicLayout>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let posting = Posting::new();
    let token = use_query_map().with_untracked(|q| q.get("token")).unwrap_or_default();
    let result = move || outcome_of(posting.outcome(), "reset");
    view! {
        <PageMeta title="meta-reset-title"/>
        <PublicLayout>
            <section class="section narrow auth" id="reset">
                <h1>{t("auth-reset-title")}</h1>
                <Show
                    when=move || matches!(result(), Some(Ok(())))
                    fallback=move || {
                        let token = token.clone();
                        view! {
                            <PostForm action=ResetPassword::PATH posting>
                                <input type="hidden" name="token" value=token/>
                                <div class="field">
                                    <label for="reset-password">{t("auth-new-password")}</label>
                                    <input id="reset-password" name="password" type="password" required autocomplete="new-password" aria-describedby="reset-hint"/>
                                    <p id="reset-hint" class="hint">{t("auth-password-hint")}</p>
                                </div>
                                {move || status_line(i18n, result(), None)}
                                <button type="submit" class="btn btn-primary" disabled=move || posting.pending.get()>{t("auth-reset-submit")}</button>
                            </PostForm>
                        }
                    }
                >
                    <p class="form-status ok" role="status">{t("auth-reset-done")}</p>
                    <p><a class="btn btn-primary" href="/login">{t("nav-sign-in")}</a></p>
                </Show>
            </section>
        </PublicLayout>
    }
}
