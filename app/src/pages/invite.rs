//! The invitation link: shows which organisation invites which address, then joins — creating
//! the account (names and password) or, for an existing account, asking for its password.

use super::PageMeta;
use super::auth::{error_view, name_fields, on_signed_in};
use crate::accounts::members_api::AcceptInvitation;
use crate::accounts::model::{InvitationPreview, Role};
use crate::i18n::use_i18n;
use crate::layout::PublicLayout;
use crate::post_form::{PostForm, Posting};
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;
use std::fmt;
use std::str::FromStr;

#[component]
pub fn InvitePage() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let token = use_query_map().with_untracked(|q| q.get("token")).unwrap_or_default();
    let preview = SharedValue::new_str(InvitationPage::of_request).into_inner();
    let posting = Posting::new();
    on_signed_in(posting, "/app".into());
    let content = match preview {
        InvitationPage::Found(p) => {
            let intro = format!("{} — {} ({})", p.org_name, p.email, i18n.t(p.role.key()));
            let existing = p.existing_account;
            EitherOf3::A(view! {
                <p class="lead invite-intro">{intro}</p>
                <p>{move || if existing { i18n.t("invite-existing") } else { i18n.t("invite-new") }}</p>
                <PostForm action=AcceptInvitation::PATH posting>
                    <input type="hidden" name="token" value=token/>
                    {(!existing).then(|| name_fields("invite"))}
                    <div class="field">
                        <label for="invite-password">{t("auth-password")}</label>
                        <input id="invite-password" name="password" type="password" required
                            autocomplete=if existing { "current-password" } else { "new-password" }/>
                    </div>
                    {error_view(posting, "invite")}
                    <button type="submit" class="btn btn-primary">{t("invite-submit")}</button>
                </PostForm>
            })
        }
        InvitationPage::Refused(code) => {
            EitherOf3::B(view! { <p class="form-status err" role="alert">{i18n.t(&code)}</p> })
        }
        InvitationPage::Elsewhere => EitherOf3::C(()),
    };
    view! {
        <PageMeta title="meta-invite-title"/>
        <PublicLayout>
            <section class="section narrow auth">
                <h1>{t("invite-title")}</h1>
                {content}
            </section>
        </PublicLayout>
    }
}

/// What the page shows. The server loads the invitation before it renders the page
/// (`server::http::middleware::preload_invitation` puts it on the request) and sends it with the
/// page as a few lines of text (`SharedValue` with leptos's `FromToStringCodec`), so the page
/// renders and hydrates synchronously: no resource, `Suspense` or JSON decoder in the account
/// pages' bundle, which they made 15 KB heavier (issue 14).
#[derive(Clone, Debug, PartialEq)]
pub enum InvitationPage {
    Found(InvitationPreview),
    /// The error code of a token that opens no invitation.
    Refused(String),
    /// In the browser outside hydration (the router came back to this page): the page is loaded
    /// from the server instead, as a link to another bundle's page is.
    Elsewhere,
}

impl InvitationPage {
    fn of_request() -> InvitationPage {
        #[cfg(feature = "ssr")]
        {
            let parts = use_context::<http::request::Parts>();
            let preloaded = parts.and_then(|parts| parts.extensions.get::<InvitationPage>().cloned());
            preloaded.unwrap_or_else(|| InvitationPage::Refused(crate::error::AppError::INTERNAL.to_owned()))
        }
        #[cfg(not(feature = "ssr"))]
        {
            if let Ok(address) = window().location().href() {
                super::misc::load_page(&address);
            }
            InvitationPage::Elsewhere
        }
    }
}

/// One field per line; a backslash and a line break inside a field are escaped.
impl fmt::Display for InvitationPage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let escape = |field: &str| field.replace('\\', "\\\\").replace('\n', "\\n");
        match self {
            InvitationPage::Found(p) => {
                let existing = if p.existing_account { "existing" } else { "new" };
                write!(f, "ok\n{}\n{}\n{}\n{existing}", escape(&p.org_name), escape(&p.email), p.role.as_str())
            }
            InvitationPage::Refused(code) => write!(f, "error\n{}", escape(code)),
            InvitationPage::Elsewhere => write!(f, "elsewhere"),
        }
    }
}

impl FromStr for InvitationPage {
    type Err = ();

    fn from_str(text: &str) -> Result<Self, ()> {
        let fields: Vec<String> = text.split('\n').map(unescape).collect();
        match fields.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            ["ok", org_name, email, role, existing] => Ok(InvitationPage::Found(InvitationPreview {
                org_name: org_name.to_owned(),
                email: email.to_owned(),
                role: Role::parse(role).ok_or(())?,
                existing_account: existing == "existing",
            })),
            ["error", code] => Ok(InvitationPage::Refused(code.to_owned())),
            ["elsewhere"] => Ok(InvitationPage::Elsewhere),
            _ => Err(()),
        }
    }
}

fn unescape(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preview_comes_back_from_its_text_unchanged() {
        let awkward = |org_name: &str, existing_account| {
            InvitationPage::Found(InvitationPreview {
                org_name: org_name.into(),
                email: "ana@example.com".into(),
                role: Role::Admin,
                existing_account,
            })
        };
        for preview in [
            awkward("Tienda Ñandú", true),
            awkward("line\nbreak \\n and \\ backslash\\", false),
            awkward("", false),
            awkward("متجر", true),
            InvitationPage::Refused("error-invite-invalid".into()),
            InvitationPage::Elsewhere,
        ] {
            assert_eq!(preview.to_string().parse::<InvitationPage>(), Ok(preview.clone()), "{preview}");
        }
        assert_eq!("ok\nonly three\nlines".parse::<InvitationPage>(), Err(()));
        assert_eq!("ok\na\nb\nsupreme\nnew".parse::<InvitationPage>(), Err(()), "an unknown role");
    }
}
