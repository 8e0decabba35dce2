//! `SyncHydrate`: a view that hydrates synchronously only.
//!
//! Every view that becomes an `AnyView` (each route's page, each component's `Children`) compiles
//! two hydration paths: `hydrate` and `hydrate_async`, which exists for lazily loaded routes and
//! is a large state machine for a large page. We load no route lazily, so a page wrapped in
//! `SyncHydrate` answers `hydrate_async` with its synchronous `hydrate` (the trait's default) and
//! the async path of everything inside it is never compiled. For the public pages' layout and
//! forms that took the public bundle from 311.9 to 277.0 KB of brotli wasm; for the routes' pages
//! (`sync`) and the router's children, from 198.4 to 184.2 KB. Everything else is passed straight
//! through.

use leptos::attr::Attribute;
use leptos::attr::any_attribute::AnyAttribute;
use leptos::prelude::*;
use leptos::tachys::hydration::Cursor;
use leptos::tachys::ssr::StreamBuilder;
use leptos::tachys::view::add_attr::AddAnyAttr;
use leptos::tachys::view::{Position, PositionState, Render, RenderHtml};

/// See the module's documentation.
pub struct SyncHydrate<V>(pub V);

impl<V: Render> Render for SyncHydrate<V> {
    type State = V::State;

    fn build(self) -> Self::State {
        self.0.build()
    }

    fn rebuild(self, state: &mut Self::State) {
        self.0.rebuild(state)
    }
}

impl<V: AddAnyAttr> AddAnyAttr for SyncHydrate<V> {
    type Output<A: Attribute> = SyncHydrate<V::Output<A>>;

    fn add_any_attr<A: Attribute>(self, attr: A) -> Self::Output<A>
    where
        Self::Output<A>: RenderHtml,
    {
        SyncHydrate(self.0.add_any_attr(attr))
    }
}

impl<V: RenderHtml> RenderHtml for SyncHydrate<V> {
    type AsyncOutput = SyncHydrate<V::AsyncOutput>;
    type Owned = SyncHydrate<V::Owned>;

    const MIN_LENGTH: usize = V::MIN_LENGTH;
    const EXISTS: bool = V::EXISTS;

    fn dry_resolve(&mut self) {
        self.0.dry_resolve()
    }

    async fn resolve(self) -> Self::AsyncOutput {
        SyncHydrate(self.0.resolve().await)
    }

    fn html_len(&self) -> usize {
        self.0.html_len()
    }

    fn to_html_with_buf(
        self,
        buf: &mut String,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) {
        self.0.to_html_with_buf(buf, position, escape, mark_branches, extra_attrs)
    }

    fn to_html_async_with_buf<const OUT_OF_ORDER: bool>(
        self,
        buf: &mut StreamBuilder,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) where
        Self: Sized,
    {
        self.0.to_html_async_with_buf::<OUT_OF_ORDER>(buf, position, escape, mark_branches, extra_attrs)
    }

    fn hydrate<const FROM_SERVER: bool>(self, cursor: &Cursor, position: &PositionState) -> Self::State {
        self.0.hydrate::<FROM_SERVER>(cursor, position)
    }

    fn into_owned(self) -> Self::Owned {
        SyncHydrate(self.0.into_owned())
    }
}

/// A component's children, wrapped in [`SyncHydrate`] before they become an `AnyView`.
pub struct SyncChildren(Box<dyn FnOnce() -> AnyView + Send>);

impl SyncChildren {
    pub fn view(self) -> AnyView {
        (self.0)()
    }
}

impl<F, C> ToChildren<F> for SyncChildren
where
    F: FnOnce() -> C + Send + 'static,
    C: RenderHtml + Send + 'static,
{
    fn to_children(f: F) -> Self {
        SyncChildren(Box::new(move || SyncHydrate(f()).into_any()))
    }
}

/// Its children, hydrated synchronously only: for the children of components we do not own
/// (`ActionForm`, `Show`, `Suspense`), which make an `AnyView` of them.
#[component]
pub fn SyncView<C: IntoView + 'static>(children: TypedChildren<C>) -> impl IntoView {
    SyncHydrate(children.into_inner()())
}

/// A route's page, hydrated synchronously only: `view=sync(pages::Landing)`. The router makes an
/// `AnyView` of each page, whose async hydration path would otherwise hold the whole page again.
pub fn sync<V: IntoView + 'static>(page: fn() -> V) -> impl Fn() -> SyncHydrate<V> + Clone + Send + Sync + 'static {
    move || SyncHydrate(page())
}
