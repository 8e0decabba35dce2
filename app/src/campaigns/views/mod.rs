//! The campaigns pages: the dashboard (connection, sync, period, KPIs, charts, campaign table)
//! and a campaign's own page (its figures, charts, ad sets, ads and creatives).

mod campaign;
mod connect;
mod dashboard;
mod parts;

pub use campaign::CampaignPage;
pub use dashboard::CampaignsPage;
