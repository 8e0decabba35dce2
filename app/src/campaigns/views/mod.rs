//! The campaigns pages: the dashboard (connection, sync, period, KPIs, charts, campaign table)
//! and a campaign's own page (its figures, charts, ad sets, ads and creatives).

mod analytics;
mod campaign;
mod connect;
mod dashboard;
pub(crate) mod parts;

pub use analytics::AnalyticsPage;
pub use campaign::CampaignPage;
pub use dashboard::CampaignsPage;
