use crate::storage::ads::{
    AdAccountRecord, AdRecord, AdSetRecord, AdsStore, CampaignRecord, Clock, DayResultRow, Group, InsightRecord, InsightSum,
    Level, SightingPairs, SightingRecord, SumQuery, SyncState,
};
use crate::storage::mongo::{MongoStore, backend};
use crate::storage::whatsapp::ConnectionStatus;
use crate::storage::{StoreError, StoreResult, to_millis};
use app::ids::OrgId;
use async_trait::async_trait;
use futures_util::TryStreamExt;
use mongodb::bson::{Document, doc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;

/// This area's indexes (see `MongoStore::index`). Campaigns, ad sets, ads and insights are keyed
/// by `_id` = organisation + object (+ level and day), so an upsert is one keyed write.
pub(crate) async fn ensure_indexes(m: &MongoStore) -> mongodb::error::Result<()> {
    m.index("ad_sets", doc! { "org_id": 1, "campaign_id": 1 }, None).await?;
    m.index("ads", doc! { "org_id": 1, "campaign_id": 1 }, None).await?;
    m.index("ad_insights", doc! { "org_id": 1, "level": 1, "day": 1 }, None).await?;
    m.index(SIGHTINGS, doc! { "org_id": 1, "day": 1 }, None).await
}

const CAMPAIGNS: &str = "ad_campaigns";
const SETS: &str = "ad_sets";
const ADS: &str = "ads";
const INSIGHTS: &str = "ad_insights";
const SIGHTINGS: &str = "ad_sightings";

impl MongoStore {
    fn ad_accounts(&self) -> mongodb::Collection<AdAccountRecord> {
        self.typed("ad_accounts")
    }

    /// Writes each record under its key, replacing what was there.
    async fn put_all<T: Serialize>(&self, collection: &str, records: &[T], key: impl Fn(&T) -> String) -> StoreResult<()> {
        let raw = self.raw(collection);
        for record in records {
            let mut document =
                mongodb::bson::serialize_to_document(record).map_err(|e| StoreError::Backend(e.to_string()))?;
            let id = key(record);
            document.insert("_id", id.clone());
            raw.replace_one(doc! { "_id": id }, document).upsert(true).await.map_err(backend)?;
        }
        Ok(())
    }

    async fn find_all<T: DeserializeOwned + Send + Sync>(&self, collection: &str, filter: Document) -> StoreResult<Vec<T>> {
        let found = self.typed::<T>(collection).find(filter).sort(doc! { "name": 1, "id": 1 }).await.map_err(backend)?;
        found.try_collect().await.map_err(backend)
    }
}

fn object_key(org: &OrgId, id: &str) -> String {
    format!("{}/{id}", org.as_str())
}

#[async_trait]
impl AdsStore for MongoStore {
    async fn save_ad_account(&self, a: &AdAccountRecord) -> StoreResult<()> {
        let filter = doc! { "_id": a.org_id.as_str() };
        self.ad_accounts().replace_one(filter, a).upsert(true).await.map(|_| ()).map_err(backend)
    }

    async fn ad_account(&self, org: &OrgId) -> StoreResult<Option<AdAccountRecord>> {
        self.ad_accounts().find_one(doc! { "_id": org.as_str() }).await.map_err(backend)
    }

    async fn set_ad_account_status(
        &self,
        org: &OrgId,
        status: ConnectionStatus,
        detail: Option<&str>,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        let set = doc! { "$set": { "status": status.key(), "status_detail": detail, "updated_at": to_millis(now) } };
        let done = self.ad_accounts().update_one(doc! { "_id": org.as_str() }, set).await.map_err(backend)?;
        Ok(done.matched_count == 1)
    }

    async fn set_sync(&self, org: &OrgId, s: &SyncState) -> StoreResult<bool> {
        let set = doc! { "$set": {
            "sync_state": &s.sync_state, "sync_stage": &s.sync_stage, "sync_cursor": s.sync_cursor.as_deref(),
            "sync_done": s.sync_done, "sync_total": s.sync_total, "sync_detail": s.sync_detail.as_deref(),
            "last_sync_at": s.last_sync_at.map(to_millis),
        } };
        let done = self.ad_accounts().update_one(doc! { "_id": org.as_str() }, set).await.map_err(backend)?;
        Ok(done.matched_count == 1)
    }

    async fn set_clock(&self, org: &OrgId, c: Clock) -> StoreResult<bool> {
        let set = doc! { "$set": { "clock_days": c.clock_days, "clock_left": c.clock_left } };
        let done = self.ad_accounts().update_one(doc! { "_id": org.as_str() }, set).await.map_err(backend)?;
        Ok(done.matched_count == 1)
    }

    async fn remove_ad_account(&self, org: &OrgId) -> StoreResult<bool> {
        // The account goes first: a sync running meanwhile finds no connection and stops.
        let done = self.ad_accounts().delete_one(doc! { "_id": org.as_str() }).await.map_err(backend)?;
        for collection in [SIGHTINGS, INSIGHTS, ADS, SETS, CAMPAIGNS] {
            self.raw(collection).delete_many(doc! { "org_id": org.as_str() }).await.map_err(backend)?;
        }
        Ok(done.deleted_count == 1)
    }

    async fn upsert_campaigns(&self, campaigns: &[CampaignRecord]) -> StoreResult<()> {
        self.put_all(CAMPAIGNS, campaigns, |c| object_key(&c.org_id, &c.id)).await
    }

    async fn upsert_ad_sets(&self, sets: &[AdSetRecord]) -> StoreResult<()> {
        self.put_all(SETS, sets, |s| object_key(&s.org_id, &s.id)).await
    }

    async fn upsert_ads(&self, ads: &[AdRecord]) -> StoreResult<()> {
        self.put_all(ADS, ads, |a| object_key(&a.org_id, &a.id)).await
    }

    async fn upsert_insights(&self, insights: &[InsightRecord]) -> StoreResult<()> {
        self.put_all(INSIGHTS, insights, |i| {
            format!("{}/{}/{}/{}", i.org_id.as_str(), i.level.key(), i.object_id, i.day)
        })
        .await
    }

    async fn campaigns(&self, org: &OrgId) -> StoreResult<Vec<CampaignRecord>> {
        self.find_all(CAMPAIGNS, doc! { "org_id": org.as_str() }).await
    }

    async fn campaign(&self, org: &OrgId, id: &str) -> StoreResult<Option<CampaignRecord>> {
        let campaigns = self.typed::<CampaignRecord>(CAMPAIGNS);
        campaigns.find_one(doc! { "_id": object_key(org, id) }).await.map_err(backend)
    }

    async fn ad_sets(&self, org: &OrgId, campaign_id: &str) -> StoreResult<Vec<AdSetRecord>> {
        self.find_all(SETS, doc! { "org_id": org.as_str(), "campaign_id": campaign_id }).await
    }

    async fn ads(&self, org: &OrgId, campaign_id: &str) -> StoreResult<Vec<AdRecord>> {
        self.find_all(ADS, doc! { "org_id": org.as_str(), "campaign_id": campaign_id }).await
    }

    async fn ad_campaigns(&self, org: &OrgId) -> StoreResult<Vec<(String, String)>> {
        let ads: Vec<AdRecord> = self.find_all(ADS, doc! { "org_id": org.as_str() }).await?;
        Ok(ads.into_iter().map(|a| (a.id, a.campaign_id)).collect())
    }

    async fn insight_sums(&self, org: &OrgId, q: &SumQuery<'_>) -> StoreResult<Vec<InsightSum>> {
        let mut filter = doc! { "org_id": org.as_str(), "level": q.level.key(), "day": { "$gte": q.from, "$lte": q.to } };
        if let Some(campaign) = q.campaign {
            filter.insert("campaign_id", campaign);
        }
        let key = match q.group {
            Group::Day => "$day",
            Group::Object => "$object_id",
        };
        let pipeline = [
            doc! { "$match": filter },
            doc! { "$group": {
                "_id": key, "impressions": { "$sum": "$impressions" }, "clicks": { "$sum": "$clicks" },
                "spend": { "$sum": "$spend" }, "purchases": { "$sum": "$purchases" }, "revenue": { "$sum": "$revenue" },
            } },
            doc! { "$sort": { "_id": 1 } },
        ];
        let docs: Vec<Document> =
            self.raw(INSIGHTS).aggregate(pipeline).await.map_err(backend)?.try_collect().await.map_err(backend)?;
        let corrupt = |e: mongodb::bson::error::Error| StoreError::Corrupt(format!("insight sum: {e}"));
        // `$sum` answers an int32 when every value fitted one.
        let number = |d: &Document, field: &str| -> StoreResult<i64> {
            match d.get(field) {
                Some(mongodb::bson::Bson::Int32(n)) => Ok(i64::from(*n)),
                Some(mongodb::bson::Bson::Int64(n)) => Ok(*n),
                _ => Err(StoreError::Corrupt(format!("insight sum {field}"))),
            }
        };
        docs.iter()
            .map(|d| {
                Ok(InsightSum {
                    key: d.get_str("_id").map_err(corrupt)?.to_owned(),
                    impressions: number(d, "impressions")?,
                    clicks: number(d, "clicks")?,
                    spend: number(d, "spend")?,
                    purchases: number(d, "purchases")?,
                    revenue: number(d, "revenue")?,
                })
            })
            .collect()
    }

    async fn daily_results(&self, org: &OrgId, level: Level, from: &str, to: &str) -> StoreResult<Vec<DayResultRow>> {
        let filter = doc! { "org_id": org.as_str(), "level": level.key(), "day": { "$gte": from, "$lte": to } };
        let insights = self.typed::<InsightRecord>(INSIGHTS);
        let found = insights.find(filter).sort(doc! { "object_id": 1, "day": 1 });
        let rows: Vec<InsightRecord> = found.await.map_err(backend)?.try_collect().await.map_err(backend)?;
        Ok(rows
            .into_iter()
            .map(|i| DayResultRow { campaign_id: i.object_id, day: i.day, spend: i.spend, revenue: i.revenue })
            .collect())
    }

    async fn record_sightings(&self, sightings: &[SightingRecord]) -> StoreResult<()> {
        let raw = self.raw(SIGHTINGS);
        for s in sightings {
            let id = format!("{}/{}/{}/{}", s.org_id.as_str(), s.campaign_id, s.day, s.age);
            let mut document = mongodb::bson::serialize_to_document(s).map_err(|e| StoreError::Backend(e.to_string()))?;
            document.insert("_id", id.clone());
            // Only the first sighting of an age is kept: an upsert that sets nothing on a match.
            raw.update_one(doc! { "_id": id }, doc! { "$setOnInsert": document }).upsert(true).await.map_err(backend)?;
        }
        Ok(())
    }

    async fn sighting_pairs(&self, org: &OrgId, from: &str) -> StoreResult<Vec<SightingPairs>> {
        let filter = doc! { "org_id": org.as_str(), "day": { "$gte": from } };
        let sightings = self.typed::<SightingRecord>(SIGHTINGS);
        let rows: Vec<SightingRecord> =
            sightings.find(filter).await.map_err(backend)?.try_collect().await.map_err(backend)?;
        Ok(crate::storage::ads::pair_up(&rows))
    }
}
