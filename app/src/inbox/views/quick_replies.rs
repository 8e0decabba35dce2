//! Quick replies: kept in Settings (admins and owners add and remove; everyone sees them), and
//! offered in the reply box while an agent types `/` and a shortcut.

use crate::accounts::model::Viewer;
use crate::fetch::in_request;
use crate::forms::{outcome, status_line};
use crate::i18n::use_i18n;
use crate::inbox::api::{DeleteQuickReply, SaveQuickReply, list_quick_replies};
use crate::inbox::model::QuickReply;
use leptos::prelude::*;

#[component]
pub fn QuickReplySettings() -> impl IntoView {
    let i18n = use_i18n();
    let t = move |key: &'static str| move || i18n.t(key);
    let admin = expect_context::<Viewer>().role.can_manage_members();
    let save = ServerAction::<SaveQuickReply>::new();
    let delete = ServerAction::<DeleteQuickReply>::new();
    let replies =
        Resource::new(move || (save.version().get(), delete.version().get()), |_| in_request(list_quick_replies()));
    view! {
        <section class="card-section" aria-labelledby="quick-replies-title" id="quick-replies">
            <h2 id="quick-replies-title">{t("quick-replies-title")}</h2>
            <p class="hint">{t("quick-replies-explained")}</p>
            <Transition>
                {move || Suspend::new(async move {
                    match replies.await {
                        Ok(list) if list.is_empty() => view! { <p>{i18n.t("quick-replies-none")}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="quick-replies">
                                {list.into_iter().map(|r| view! {
                                    <li>
                                        <code dir="ltr">"/" {r.shortcut.clone()}</code>
                                        <span class="quick-reply-text">{r.text.clone()}</span>
                                        {admin.then(|| view! {
                                            <ActionForm action=delete>
                                                <input type="hidden" name="id" value=r.id.clone()/>
                                                <button type="submit" class="btn btn-ghost">{i18n.t("quick-replies-delete")}</button>
                                            </ActionForm>
                                        })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }
                        .into_any(),
                        Err(e) => view! { <p class="form-status err" role="alert">{i18n.t(&e.code)}</p> }.into_any(),
                    }
                })}
            </Transition>
            {admin.then(|| view! {
                <ActionForm action=save attr:class="quick-reply-form">
                    <label for="quick-reply-shortcut">{t("quick-replies-shortcut")}</label>
                    <input id="quick-reply-shortcut" name="shortcut" maxlength="33" required placeholder="envio" dir="auto"/>
                    <label for="quick-reply-text">{t("quick-replies-text")}</label>
                    <textarea id="quick-reply-text" name="text" rows="3" maxlength="4096" required></textarea>
                    <button type="submit" class="btn">{t("quick-replies-add")}</button>
                </ActionForm>
            })}
            {move || status_line(i18n, outcome(save.value().get(), "quick-replies"), None)}
            {move || status_line(i18n, outcome(delete.value().get(), "quick-replies"), None)}
        </section>
    }
}

/// The quick replies whose shortcut starts with what follows the `/` typed (at most five).
pub fn suggestions(all: &[QuickReply], typed: &str) -> Vec<QuickReply> {
    let Some(prefix) = typed.strip_prefix('/') else { return Vec::new() };
    if prefix.chars().any(char::is_whitespace) {
        return Vec::new();
    }
    let prefix = prefix.to_lowercase();
    all.iter().filter(|r| r.shortcut.starts_with(&prefix)).take(5).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slash_and_the_start_of_a_shortcut_suggest_replies() {
        let reply = |s: &str| QuickReply { id: s.into(), shortcut: s.into(), text: format!("{s}!") };
        let all = vec![reply("envio"), reply("envio-express"), reply("horario")];
        let shortcuts = |typed: &str| suggestions(&all, typed).into_iter().map(|r| r.shortcut).collect::<Vec<_>>();
        assert_eq!(shortcuts("/env"), ["envio", "envio-express"]);
        assert_eq!(shortcuts("/HOR"), ["horario"]);
        assert_eq!(shortcuts("/").len(), 3);
        assert!(shortcuts("env").is_empty(), "only after a slash");
        assert!(shortcuts("/envio y más").is_empty(), "not once the agent writes on");
    }
}
