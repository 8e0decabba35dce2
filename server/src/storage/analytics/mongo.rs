use crate::storage::analytics::{AnalyticsStore, OrderRecord, ReferralOutcome};
use crate::storage::mongo::{MongoStore, backend};
use crate::storage::{StoreError, StoreResult, to_millis};
use app::ids::OrgId;
use async_trait::async_trait;
use futures_util::TryStreamExt;
use mongodb::bson::{Document, doc};
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// This area's indexes (see `MongoStore::index`). Orders are keyed by `_id` = organisation and
/// conversation.
pub(crate) async fn ensure_indexes(m: &MongoStore) -> mongodb::error::Result<()> {
    m.index("conversations", doc! { "org_id": 1, "created_at": 1 }, None).await
}

const ORDERS: &str = "conversation_orders";

fn key(org: &OrgId, conversation_id: &str) -> String {
    format!("{}/{conversation_id}", org.as_str())
}

#[async_trait]
impl AnalyticsStore for MongoStore {
    async fn set_order(&self, o: &OrderRecord) -> StoreResult<()> {
        let orders = self.typed::<OrderRecord>(ORDERS);
        let filter = doc! { "_id": key(&o.org_id, &o.conversation_id) };
        // `replace_one` keeps the filter's `_id` for an upserted document.
        orders.replace_one(filter, o).upsert(true).await.map(|_| ()).map_err(backend)
    }

    async fn clear_order(&self, org: &OrgId, conversation_id: &str) -> StoreResult<bool> {
        let done = self.raw(ORDERS).delete_one(doc! { "_id": key(org, conversation_id) }).await.map_err(backend)?;
        Ok(done.deleted_count == 1)
    }

    async fn order(&self, org: &OrgId, conversation_id: &str) -> StoreResult<Option<OrderRecord>> {
        let orders = self.typed::<OrderRecord>(ORDERS);
        orders.find_one(doc! { "_id": key(org, conversation_id) }).await.map_err(backend)
    }

    async fn referral_outcomes(
        &self,
        org: &OrgId,
        from: OffsetDateTime,
        to: OffsetDateTime,
        currency: &str,
    ) -> StoreResult<Vec<ReferralOutcome>> {
        // The conversations ads started in the period, then, for each, one indexed look-up for an
        // agent's answer and one keyed read of its order.
        let filter = doc! {
            "org_id": org.as_str(), "referral": { "$type": "object" },
            "created_at": { "$gte": to_millis(from), "$lt": to_millis(to) },
        };
        let projection = doc! { "_id": 1, "status": 1, "referral.source_id": 1 };
        let found: Vec<Document> = self
            .raw("conversations")
            .find(filter)
            .projection(projection)
            .await
            .map_err(backend)?
            .try_collect()
            .await
            .map_err(backend)?;
        let corrupt = |e: mongodb::bson::error::Error| StoreError::Corrupt(format!("conversation: {e}"));
        let mut by_ad: BTreeMap<String, ReferralOutcome> = BTreeMap::new();
        for c in &found {
            let id = c.get_str("_id").map_err(corrupt)?;
            let ad = c.get_document("referral").and_then(|r| r.get_str("source_id")).map_err(corrupt)?;
            let replied = self
                .raw("messages")
                .find_one(doc! { "conversation_id": id, "direction": "out" })
                .await
                .map_err(backend)?
                .is_some();
            let order = self.order(org, id).await?.filter(|o| o.currency == currency);
            let row = by_ad.entry(ad.to_owned()).or_insert_with(|| ReferralOutcome { ad_id: ad.to_owned(), ..Default::default() });
            row.started += 1;
            row.replied += i64::from(replied);
            row.resolved += i64::from(c.get_str("status").is_ok_and(|s| s == "resolved"));
            if let Some(order) = order {
                row.orders += 1;
                row.revenue += order.value;
            }
        }
        Ok(by_ad.into_values().collect())
    }
}
