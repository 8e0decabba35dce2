//! The signed-in app's entry point: fetches the page language's strings, then hydrates the
//! server-rendered page into the whole Leptos app (the public pages have their own, smaller
//! bundle in `frontend/public`).

#[wasm_bindgen::prelude::wasm_bindgen]
pub async fn hydrate() {
    console_error_panic_hook::set_once();
    // Without its strings the page stays as the server rendered it: every form still posts.
    if app::i18n::strings::load(app::i18n::strings::page_lang()).await {
        leptos::mount::hydrate_body(app::App);
    }
}
