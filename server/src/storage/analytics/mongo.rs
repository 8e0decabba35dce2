use crate::storage::analytics::{AgentFigures, AnalyticsStore, Messaging, OrderRecord, ReferralOutcome};
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
    m.index("conversations", doc! { "org_id": 1, "created_at": 1 }, None).await?;
    m.index("messages", doc! { "org_id": 1, "created_at": 1 }, None).await?;
    m.index("messages", doc! { "conversation_id": 1, "direction": 1, "created_at": 1 }, None).await
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

    async fn messaging(&self, org: &OrgId, from: OffsetDateTime, to: OffsetDateTime) -> StoreResult<Messaging> {
        // The period's conversations and messages (indexed by organisation and time), summed here.
        let range = doc! { "$gte": to_millis(from), "$lt": to_millis(to) };
        let conversations: Vec<Document> = self
            .raw("conversations")
            .find(doc! { "org_id": org.as_str(), "created_at": range.clone() })
            .projection(doc! { "status": 1, "assignee": 1, "created_at": 1, "updated_at": 1 })
            .await
            .map_err(backend)?
            .try_collect()
            .await
            .map_err(backend)?;
        let messages: Vec<Document> = self
            .raw("messages")
            .find(doc! { "org_id": org.as_str(), "created_at": range })
            .projection(doc! { "conversation_id": 1, "direction": 1, "status": 1, "sent_by": 1, "created_at": 1 })
            .sort(doc! { "created_at": 1 })
            .await
            .map_err(backend)?
            .try_collect()
            .await
            .map_err(backend)?;
        let text = |d: &Document, f: &str| d.get_str(f).ok().map(str::to_owned);
        let number = |d: &Document, f: &str| d.get_i64(f).unwrap_or_default();
        let mut m = Messaging::default();
        let mut opened: BTreeMap<String, i64> = BTreeMap::new();
        let mut agents: BTreeMap<String, AgentFigures> = BTreeMap::new();
        for c in &conversations {
            let status = text(c, "status").unwrap_or_default();
            *opened.entry(status.clone()).or_default() += 1;
            if status == "resolved" {
                m.resolutions.push(number(c, "updated_at") - number(c, "created_at"));
            }
            if let Some(agent) = text(c, "assignee") {
                let a = agents.entry(agent.clone()).or_insert_with(|| AgentFigures { user_id: agent, ..Default::default() });
                a.assigned += 1;
                a.resolved += i64::from(status == "resolved");
            }
        }
        let mut days: BTreeMap<String, (i64, i64)> = BTreeMap::new();
        let mut outbound: BTreeMap<String, i64> = BTreeMap::new();
        let mut first_in: BTreeMap<String, i64> = BTreeMap::new();
        for msg in &messages {
            let at = number(msg, "created_at");
            let day = crate::storage::from_millis(at).date().to_string();
            let inbound = text(msg, "direction").as_deref() == Some("in");
            let entry = days.entry(day).or_default();
            if inbound {
                entry.0 += 1;
                first_in.entry(text(msg, "conversation_id").unwrap_or_default()).or_insert(at);
            } else {
                entry.1 += 1;
                *outbound.entry(text(msg, "status").unwrap_or_default()).or_default() += 1;
                if let Some(agent) = text(msg, "sent_by") {
                    agents.entry(agent.clone()).or_insert_with(|| AgentFigures { user_id: agent, ..Default::default() }).sent += 1;
                }
            }
        }
        for (conversation, at) in first_in {
            let answer = self
                .raw("messages")
                .find_one(doc! { "conversation_id": &conversation, "direction": "out", "created_at": { "$gte": at } })
                .sort(doc! { "created_at": 1 })
                .await
                .map_err(backend)?;
            if let Some(answer) = answer {
                m.first_responses.push(number(&answer, "created_at") - at);
            }
        }
        m.first_responses.sort_unstable();
        m.resolutions.sort_unstable();
        m.opened = opened.into_iter().collect();
        m.days = days.into_iter().map(|(d, (i, o))| (d, i, o)).collect();
        m.outbound = outbound.into_iter().collect();
        m.agents = agents.into_values().collect();
        Ok(m)
    }
}
