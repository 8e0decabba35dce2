use crate::storage::budgets::{
    BudgetChangeRecord, BudgetSettingsRecord, BudgetsStore, ChangeUpdate, DecisionRecord, DraftRecord, ExplanationRecord,
};
use crate::storage::{StoreError, StoreResult, to_millis};
use crate::storage::mongo::{MongoStore, backend};
use app::ids::OrgId;
use async_trait::async_trait;
use futures_util::TryStreamExt;
use mongodb::bson::doc;

/// This area's indexes (see `MongoStore::index`). Settings are keyed by organisation, decisions
/// by id, explanations by organisation, decision and language.
pub(crate) async fn ensure_indexes(m: &MongoStore) -> mongodb::error::Result<()> {
    m.index(DECISIONS, doc! { "org_id": 1, "created_at": -1 }, None).await?;
    m.index(CHANGES, doc! { "org_id": 1, "decision_id": 1 }, None).await
}

const SETTINGS: &str = "budget_settings";
const DECISIONS: &str = "budget_decisions";
const EXPLANATIONS: &str = "budget_explanations";
const CHANGES: &str = "budget_changes";
const DRAFTS: &str = "budget_drafts";

fn change_key(org: &OrgId, decision_id: &str, campaign_id: &str) -> String {
    format!("{}/{decision_id}/{campaign_id}", org.as_str())
}

fn explanation_key(org: &OrgId, decision_id: &str, lang: &str) -> String {
    format!("{}/{decision_id}/{lang}", org.as_str())
}

#[async_trait]
impl BudgetsStore for MongoStore {
    async fn budget_settings(&self, org: &OrgId) -> StoreResult<Option<BudgetSettingsRecord>> {
        self.typed::<BudgetSettingsRecord>(SETTINGS).find_one(doc! { "_id": org.as_str() }).await.map_err(backend)
    }

    async fn save_budget_settings(&self, s: &BudgetSettingsRecord) -> StoreResult<()> {
        let settings = self.typed::<BudgetSettingsRecord>(SETTINGS);
        settings.replace_one(doc! { "_id": s.org_id.as_str() }, s).upsert(true).await.map(|_| ()).map_err(backend)
    }

    async fn save_decision(&self, d: &DecisionRecord) -> StoreResult<()> {
        let decisions = self.typed::<DecisionRecord>(DECISIONS);
        decisions.replace_one(doc! { "_id": &d.id }, d).upsert(true).await.map(|_| ()).map_err(backend)
    }

    async fn move_decision(&self, org: &OrgId, id: &str, from: &str, to: &str) -> StoreResult<bool> {
        let decisions = self.typed::<DecisionRecord>(DECISIONS);
        let filter = doc! { "_id": id, "org_id": org.as_str(), "status": from };
        let done = decisions.update_one(filter, doc! { "$set": { "status": to } }).await.map_err(backend)?;
        Ok(done.matched_count == 1)
    }

    async fn decision(&self, org: &OrgId, id: &str) -> StoreResult<Option<DecisionRecord>> {
        let decisions = self.typed::<DecisionRecord>(DECISIONS);
        decisions.find_one(doc! { "_id": id, "org_id": org.as_str() }).await.map_err(backend)
    }

    async fn decisions(&self, org: &OrgId, limit: i64) -> StoreResult<Vec<DecisionRecord>> {
        let decisions = self.typed::<DecisionRecord>(DECISIONS);
        let found = decisions.find(doc! { "org_id": org.as_str() }).sort(doc! { "created_at": -1, "_id": -1 }).limit(limit);
        found.await.map_err(backend)?.try_collect().await.map_err(backend)
    }

    async fn explanation(&self, org: &OrgId, decision_id: &str, lang: &str) -> StoreResult<Option<ExplanationRecord>> {
        let explanations = self.typed::<ExplanationRecord>(EXPLANATIONS);
        explanations.find_one(doc! { "_id": explanation_key(org, decision_id, lang) }).await.map_err(backend)
    }

    async fn save_explanation(&self, e: &ExplanationRecord) -> StoreResult<()> {
        let explanations = self.typed::<ExplanationRecord>(EXPLANATIONS);
        let filter = doc! { "_id": explanation_key(&e.org_id, &e.decision_id, &e.lang) };
        explanations.replace_one(filter, e).upsert(true).await.map(|_| ()).map_err(backend)
    }

    async fn add_changes(&self, changes: &[BudgetChangeRecord]) -> StoreResult<u64> {
        let raw = self.raw(CHANGES);
        let mut added = 0;
        for c in changes {
            let id = change_key(&c.org_id, &c.decision_id, &c.campaign_id);
            let mut document = mongodb::bson::serialize_to_document(c).map_err(|e| StoreError::Backend(e.to_string()))?;
            document.insert("_id", id.clone());
            // A change already recorded is left as it is: an upsert that sets nothing on a match.
            let done = raw.update_one(doc! { "_id": id }, doc! { "$setOnInsert": document }).upsert(true).await;
            added += u64::from(done.map_err(backend)?.upserted_id.is_some());
        }
        Ok(added)
    }

    async fn changes(&self, org: &OrgId, decision_id: &str) -> StoreResult<Vec<BudgetChangeRecord>> {
        let changes = self.typed::<BudgetChangeRecord>(CHANGES);
        let found = changes.find(doc! { "org_id": org.as_str(), "decision_id": decision_id }).sort(doc! { "campaign_id": 1 });
        found.await.map_err(backend)?.try_collect().await.map_err(backend)
    }

    async fn set_change(&self, u: &ChangeUpdate<'_>) -> StoreResult<bool> {
        let mut set = doc! { "status": u.status, "error": u.error, "updated_at": to_millis(u.now) };
        if let Some(applied) = u.applied_budget {
            set.insert("applied_budget", applied);
        }
        let update = doc! { "$set": set, "$inc": { "attempts": i64::from(u.attempt) } };
        let filter = doc! { "_id": change_key(u.org, u.decision_id, u.campaign_id) };
        let done = self.raw(CHANGES).update_one(filter, update).await.map_err(backend)?;
        Ok(done.matched_count == 1)
    }

    async fn save_draft(&self, d: &DraftRecord) -> StoreResult<()> {
        self.typed::<DraftRecord>(DRAFTS).insert_one(d).await.map(|_| ()).map_err(backend)
    }

    async fn draft(&self, org: &OrgId, id: &str) -> StoreResult<Option<DraftRecord>> {
        self.typed::<DraftRecord>(DRAFTS).find_one(doc! { "_id": id, "org_id": org.as_str() }).await.map_err(backend)
    }
}
