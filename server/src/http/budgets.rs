//! The optimiser history's chart as an image: `GET /api/budgets/charts/cumulative-{s|l}.svg?lang=`
//! (`v` changes with each sync and decision), for the caller's organisation only.

use super::AppState;
use super::extract::Authenticated;
use app::error::AppError;
use app::i18n::Lang;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/budgets/charts/{file}", get(chart))
}

#[derive(Deserialize)]
struct ChartQuery {
    lang: Option<String>,
}

async fn chart(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
    Path(file): Path<String>,
    Query(q): Query<ChartQuery>,
) -> Result<Response, AppError> {
    let id = file.strip_suffix(".svg").ok_or(app::budgets::port::BudgetError::NotFound)?;
    let lang = q.lang.as_deref().and_then(Lang::from_code).unwrap_or(Lang::En);
    let svg = state.services.budgets.chart(&caller, id, lang).await?;
    super::ads::svg_image(svg, 3600)
}
