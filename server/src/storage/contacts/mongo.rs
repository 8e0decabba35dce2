use crate::storage::contacts::{
    ContactFilter, ContactRecord, ContactStore, Cursor, ImportBatch, ImportPlan, ImportRecord, ImportStore, RejectRecord,
};
use app::contacts::import::{ImportCounts, ImportStatus};
use crate::storage::mongo::{MongoStore, backend, regex_escape};
use crate::storage::{StoreError, StoreResult, to_millis};
use app::contacts::model::ContactSort;
use app::ids::OrgId;
use async_trait::async_trait;
use futures_util::TryStreamExt;
use mongodb::bson::{Bson, Document, doc};

/// This area's indexes (see `MongoStore::index`).
pub(crate) async fn ensure_indexes(m: &MongoStore) -> mongodb::error::Result<()> {
    m.index("contacts", doc! { "org_id": 1, "phone": 1 }, Some("phone")).await?;
    m.index("contacts", doc! { "org_id": 1, "email": 1 }, None).await?;
    m.index("contacts", doc! { "org_id": 1, "sort_name": 1, "_id": 1 }, None).await?;
    m.index("contacts", doc! { "org_id": 1, "updated_at": -1, "_id": -1 }, None).await?;
    m.index("contact_imports", doc! { "org_id": 1, "created_at": -1 }, None).await?;
    m.index("contact_import_rejects", doc! { "import_id": 1, "row": 1 }, None).await
}

/// A contact as stored: the record, and the keys the list sorts and searches by.
fn document(c: &ContactRecord) -> StoreResult<Document> {
    let mut d = mongodb::bson::serialize_to_document(c).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    d.insert("sort_name", c.sort_name());
    d.insert("search", c.search_text());
    Ok(d)
}

fn record(d: Document) -> StoreResult<ContactRecord> {
    mongodb::bson::deserialize_from_document(d).map_err(|e| StoreError::Corrupt(e.to_string()))
}

impl MongoStore {
    fn contacts(&self) -> mongodb::Collection<Document> {
        self.raw("contacts")
    }

    async fn find_contacts(
        &self,
        filter: Document,
        sort: Option<Document>,
        limit: Option<i64>,
    ) -> StoreResult<Vec<ContactRecord>> {
        let contacts = self.contacts();
        let mut find = contacts.find(filter);
        if let Some(sort) = sort {
            find = find.sort(sort);
        }
        if let Some(limit) = limit {
            find = find.limit(limit);
        }
        let docs: Vec<Document> = find.await.map_err(backend)?.try_collect().await.map_err(backend)?;
        docs.into_iter().map(record).collect()
    }
}

#[async_trait]
impl ContactStore for MongoStore {
    async fn insert_contact(&self, c: &ContactRecord) -> StoreResult<()> {
        self.contacts().insert_one(document(c)?).await.map(|_| ()).map_err(backend)
    }

    async fn contact(&self, org: &OrgId, id: &str) -> StoreResult<Option<ContactRecord>> {
        let found = self.contacts().find_one(doc! { "_id": id, "org_id": org.as_str() }).await.map_err(backend)?;
        found.map(record).transpose()
    }

    async fn update_contact(&self, c: &ContactRecord) -> StoreResult<bool> {
        let filter = doc! { "_id": &c.id, "org_id": c.org_id.as_str() };
        let done = self.contacts().replace_one(filter, document(c)?).await.map_err(backend)?;
        Ok(done.matched_count == 1)
    }

    async fn list_contacts(
        &self,
        org: &OrgId,
        filter: &ContactFilter,
        after: Option<&Cursor>,
        limit: u32,
    ) -> StoreResult<Vec<ContactRecord>> {
        let mut query = doc! { "org_id": org.as_str(), "deleted_at": Bson::Null };
        if !filter.search.is_empty() {
            query.insert("search", doc! { "$regex": regex_escape(&filter.search) });
        }
        if let Some(tag) = &filter.tag {
            query.insert("tags", tag.as_str());
        }
        match after {
            Some(Cursor::Name(name, id)) => {
                query.insert(
                    "$or",
                    vec![doc! { "sort_name": { "$gt": name } }, doc! { "sort_name": name, "_id": { "$gt": id } }],
                );
            }
            Some(Cursor::Recent(at, id)) => {
                query.insert(
                    "$or",
                    vec![doc! { "updated_at": { "$lt": at } }, doc! { "updated_at": at, "_id": { "$lt": id } }],
                );
            }
            None => {}
        }
        let sort = match filter.sort {
            ContactSort::Name => doc! { "sort_name": 1, "_id": 1 },
            ContactSort::Recent => doc! { "updated_at": -1, "_id": -1 },
        };
        self.find_contacts(query, Some(sort), Some(limit as i64)).await
    }

    async fn set_contacts_deleted(
        &self,
        org: &OrgId,
        ids: &[String],
        at: Option<time::OffsetDateTime>,
        now: time::OffsetDateTime,
    ) -> StoreResult<u64> {
        let state = if at.is_some() { doc! { "$eq": Bson::Null } } else { doc! { "$ne": Bson::Null } };
        let filter = doc! { "org_id": org.as_str(), "_id": { "$in": ids }, "deleted_at": state };
        let deleted = at.map(|t| Bson::Int64(to_millis(t))).unwrap_or(Bson::Null);
        let set = doc! { "$set": { "deleted_at": deleted, "updated_at": to_millis(now) } };
        Ok(self.contacts().update_many(filter, set).await.map_err(backend)?.modified_count)
    }

    async fn tag_contacts(
        &self,
        org: &OrgId,
        ids: &[String],
        tag: &str,
        add: bool,
        now: time::OffsetDateTime,
    ) -> StoreResult<u64> {
        let filter = doc! { "org_id": org.as_str(), "_id": { "$in": ids }, "deleted_at": Bson::Null,
                            "tags": if add { doc! { "$ne": tag } } else { doc! { "$eq": tag } } };
        // `$addToSet` then sort keeps the tags a sorted set in one atomic update per contact.
        let update = if add {
            doc! { "$push": { "tags": { "$each": [tag], "$sort": 1 } }, "$set": { "updated_at": to_millis(now) } }
        } else {
            doc! { "$pull": { "tags": tag }, "$set": { "updated_at": to_millis(now) } }
        };
        Ok(self.contacts().update_many(filter, update).await.map_err(backend)?.modified_count)
    }

    async fn contacts_by_id(&self, org: &OrgId, ids: &[String]) -> StoreResult<Vec<ContactRecord>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        self.find_contacts(doc! { "org_id": org.as_str(), "_id": { "$in": ids } }, None, None).await
    }

    async fn contacts_matching(
        &self,
        org: &OrgId,
        phones: &[String],
        emails: &[String],
    ) -> StoreResult<Vec<ContactRecord>> {
        if phones.is_empty() && emails.is_empty() {
            return Ok(vec![]);
        }
        let filter = doc! { "org_id": org.as_str(), "$or": [ { "phone": { "$in": phones } }, { "email": { "$in": emails } } ] };
        self.find_contacts(filter, None, None).await
    }

    async fn write_contacts(&self, inserts: &[ContactRecord], updates: &[ContactRecord]) -> StoreResult<()> {
        // No multi-document transaction (see the adapter's note): the import that calls this is
        // idempotent instead — re-running a batch finds what it wrote and changes nothing.
        if !inserts.is_empty() {
            let docs = inserts.iter().map(document).collect::<StoreResult<Vec<_>>>()?;
            self.contacts().insert_many(docs).await.map_err(backend)?;
        }
        for c in updates {
            self.update_contact(c).await?;
        }
        Ok(())
    }

    async fn default_country(&self, org: &OrgId) -> StoreResult<Option<String>> {
        let found = self.raw("contact_settings").find_one(doc! { "_id": org.as_str() }).await.map_err(backend)?;
        Ok(found.and_then(|d| d.get_str("default_country").ok().map(str::to_owned)))
    }

    async fn set_default_country(&self, org: &OrgId, country: &str) -> StoreResult<()> {
        let settings = self.raw("contact_settings");
        let update = doc! { "$set": { "default_country": country } };
        settings.update_one(doc! { "_id": org.as_str() }, update).upsert(true).await.map(|_| ()).map_err(backend)
    }

    async fn count_contacts(&self, org: &OrgId) -> StoreResult<u64> {
        let filter = doc! { "org_id": org.as_str(), "deleted_at": Bson::Null };
        self.contacts().count_documents(filter).await.map_err(backend)
    }
}

impl MongoStore {
    fn imports(&self) -> mongodb::Collection<ImportRecord> {
        self.typed("contact_imports")
    }
}

fn counts_doc(c: &ImportCounts) -> Document {
    doc! {
        "rows_done": c.rows_done as i64, "created": c.created as i64, "updated": c.updated as i64,
        "unchanged": c.unchanged as i64, "rejected": c.rejected as i64,
    }
}

#[async_trait]
impl ImportStore for MongoStore {
    async fn insert_import(&self, import: &ImportRecord) -> StoreResult<()> {
        self.imports().insert_one(import).await.map(|_| ()).map_err(backend)
    }

    async fn import(&self, org: &OrgId, id: &str) -> StoreResult<Option<ImportRecord>> {
        self.imports().find_one(doc! { "_id": id, "org_id": org.as_str() }).await.map_err(backend)
    }

    async fn imports(&self, org: &OrgId, limit: u32) -> StoreResult<Vec<ImportRecord>> {
        let imports = self.imports();
        let found = imports.find(doc! { "org_id": org.as_str() }).sort(doc! { "created_at": -1, "_id": -1 });
        found.limit(limit as i64).await.map_err(backend)?.try_collect().await.map_err(backend)
    }

    async fn plan_import(&self, org: &OrgId, id: &str, plan: &ImportPlan) -> StoreResult<bool> {
        let mapping = mongodb::bson::serialize_to_bson(&plan.mapping).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let set = doc! { "$set": {
            "mapping": mapping, "mode": plan.mode.key(), "tags": &plan.tags,
            "default_country": &plan.default_country, "status": ImportStatus::Queued.key(),
        } };
        let filter = doc! { "_id": id, "org_id": org.as_str(), "status": ImportStatus::Uploaded.key() };
        Ok(self.imports().update_one(filter, set).await.map_err(backend)?.modified_count == 1)
    }

    async fn move_import(&self, id: &str, from: &[ImportStatus], to: ImportStatus) -> StoreResult<bool> {
        let from: Vec<&str> = from.iter().map(|s| s.key()).collect();
        let filter = doc! { "_id": id, "status": { "$in": from } };
        let done = self.imports().update_one(filter, doc! { "$set": { "status": to.key() } }).await.map_err(backend)?;
        Ok(done.modified_count == 1)
    }

    async fn write_import_batch(&self, b: &ImportBatch<'_>) -> StoreResult<()> {
        // In order, each idempotent (see the trait): contacts, rejects, then the progress that
        // says they are done — a crash before it re-runs the batch, which finds its contacts.
        if !b.inserts.is_empty() {
            let docs = b.inserts.iter().map(document).collect::<StoreResult<Vec<_>>>()?;
            match self.contacts().insert_many(docs).ordered(false).await {
                Ok(_) => {}
                Err(e) if crate::storage::mongo::is_duplicate(&e) => {}
                Err(e) => return Err(backend(e)),
            }
        }
        for c in b.updates {
            self.update_contact(c).await?;
        }
        for r in b.rejects {
            let key = doc! { "_id": format!("{}:{}", r.import_id, r.row) };
            let set = doc! { "$set": { "import_id": &r.import_id, "row": r.row as i64, "reason": &r.reason, "cells": &r.cells } };
            self.raw("contact_import_rejects").update_one(key, set).upsert(true).await.map_err(backend)?;
        }
        let progress = doc! { "$set": { "total_rows": b.total_rows as i64, "counts": counts_doc(&b.counts) } };
        self.imports().update_one(doc! { "_id": b.import_id }, progress).await.map(|_| ()).map_err(backend)
    }

    async fn finish_import(
        &self,
        id: &str,
        status: ImportStatus,
        error: Option<&str>,
        at: time::OffsetDateTime,
    ) -> StoreResult<()> {
        let set = doc! { "$set": { "status": status.key(), "error": error, "finished_at": to_millis(at) } };
        self.imports().update_one(doc! { "_id": id }, set).await.map(|_| ()).map_err(backend)
    }

    async fn import_rejects(&self, org: &OrgId, import_id: &str) -> StoreResult<Vec<RejectRecord>> {
        if self.import(org, import_id).await?.is_none() {
            return Ok(vec![]);
        }
        let rejects = self.raw("contact_import_rejects");
        let found = rejects.find(doc! { "import_id": import_id }).sort(doc! { "row": 1 });
        let docs: Vec<Document> = found.await.map_err(backend)?.try_collect().await.map_err(backend)?;
        docs.into_iter()
            .map(|d| mongodb::bson::deserialize_from_document(d).map_err(|e| StoreError::Corrupt(e.to_string())))
            .collect()
    }
}
