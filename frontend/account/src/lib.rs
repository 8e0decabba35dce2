//! The account pages' entry point: fetches the page language's strings, then hydrates the
//! server-rendered page into the account pages' app (`app::AccountApp`).

#[wasm_bindgen::prelude::wasm_bindgen]
pub async fn hydrate() {
    // Without its strings the page stays as the server rendered it: every form still posts.
    if app::i18n::strings::load(app::i18n::strings::page_lang()).await {
        leptos::mount::hydrate_body(app::AccountApp);
    }
}
