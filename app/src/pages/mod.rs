//! Public pages, each a component under the shared public layout, and the signed-in app's frame
//! (`app_shell`); a feature's own pages live in its room (`accounts/views/`, …).

mod app_shell;
mod auth;
mod invite;
mod landing;
mod legal;
mod misc;
mod password;

pub use app_shell::AppShell;
pub use auth::{ConfirmPage, LoginPage, RegisterPage, SignInLinkPage};
pub use invite::InvitePage;
pub use landing::Landing;
pub use legal::{Privacy, Terms};
pub use misc::{BundleFallback, NotFound};
pub use password::{ForgotPasswordPage, ResetPasswordPage};
#[cfg(feature = "ssr")]
pub use {app_shell::AppFrame, invite::InvitationPage};

use crate::i18n::{translate, use_i18n};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// The translated `<title>` and description of a page.
#[component]
fn PageMeta(title: &'static str, #[prop(optional)] description: Option<&'static str>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=i18n.settled(move |lang| translate(lang, title, None))/>
        {description.map(|key| view! { <Meta name="description" content=i18n.settled(move |lang| translate(lang, key, None))/> })}
    }
}

#[cfg(test)]
pub(crate) fn legal_keys() -> Vec<String> {
    let mut keys = legal::keys("privacy", &legal::PRIVACY);
    keys.extend(legal::keys("terms", &legal::TERMS));
    keys
}

#[cfg(test)]
pub(crate) fn landing_keys() -> Vec<String> {
    let mut keys: Vec<String> = landing::FEATURES.iter().flat_map(|(t, b, _)| [t.to_string(), b.to_string()]).collect();
    for plan in landing::PLANS {
        keys.extend(["name", "price", "desc", "f1", "f2", "f3", "cta"].map(|s| format!("{plan}-{s}")));
    }
    keys
}
