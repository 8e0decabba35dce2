use crate::storage::contacts::{
    ContactFilter, ContactRecord, ContactStore, Cursor, ImportBatch, ImportPlan, ImportRecord, ImportStore, RejectRecord,
};
use app::contacts::import::{ImportCounts, ImportMode, ImportStatus};
use crate::storage::sqlite::{SqliteStore, backend, like_anywhere};
use crate::storage::{StoreError, StoreResult, from_millis, to_millis};
use app::contacts::model::ContactSort;
use app::ids::OrgId;
use async_trait::async_trait;
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite};
use time::OffsetDateTime;

/// What `record` reads, in its order.
macro_rules! read_columns {
    () => {
        "id, org_id, display_name, first_name, last_name, phone, wa_id, email, tags, attributes, opt_out_at, \
         opt_out_source, created_at, updated_at, deleted_at"
    };
}

/// Every column, as written: what `record` reads, then the two derived for sorting and searching
/// (never read back: a list page would copy each row's search text out of SQLite for nothing).
macro_rules! columns {
    () => {
        concat!(read_columns!(), ", sort_name, search")
    };
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn duplicate_or_backend(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Duplicate,
        _ => backend(e),
    }
}

/// `column IN (…values)`, the values bound as one JSON array: the statement has the same shape
/// however many there are (so its prepared form is cached and reused, never one per count), and
/// SQLite's limit on bound parameters never applies.
fn push_in(q: &mut QueryBuilder<Sqlite>, column: &str, values: &[String]) {
    q.push(format_args!(" {column} IN (SELECT value FROM json_each("));
    q.push_bind(json(&values)).push("))");
}

/// A statement whose shape depends on how many rows it carries (a batch's last chunk):
/// prepared for this call only. sqlx caches up to 100 prepared statements a
/// connection, and an import would fill that cache with one large, never reused statement per
/// batch — tens of megabytes that stay resident.
fn once(q: &mut QueryBuilder<Sqlite>) -> sqlx::query::Query<'_, Sqlite, sqlx::sqlite::SqliteArguments> {
    q.build().persistent(false)
}


/// An FTS5 phrase matching `text` as it is (quotes doubled).
fn phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// Above this many trigram hits a search walks the list's order instead (see `list_contacts`).
const FEW: i64 = 2000;

impl SqliteStore {
    /// Whether at most `FEW` contacts in the whole store have search text containing `text`
    /// (three characters or more): counted inside SQLite, so only the count crosses over.
    async fn few_hits(&self, text: &str) -> StoreResult<bool> {
        let hits: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM (SELECT rowid FROM contacts_search WHERE contacts_search MATCH ? LIMIT ?)",
        )
        .bind(phrase(text))
        .bind(FEW + 1)
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?;
        Ok(hits <= FEW)
    }

    async fn insert_many(
        &self,
        conn: &mut sqlx::SqliteConnection,
        contacts: &[ContactRecord],
    ) -> StoreResult<()> {
        // SQLite binds at most 32,766 parameters: 17 columns a row, 1,000 rows a statement.
        for chunk in contacts.chunks(1000) {
            let mut q = QueryBuilder::<Sqlite>::new(concat!("INSERT INTO contacts (", columns!(), ") "));
            q.push_values(chunk, |mut b, c| {
                b.push_bind(c.id.clone())
                    .push_bind(c.org_id.to_string())
                    .push_bind(c.display_name.clone())
                    .push_bind(c.first_name.clone())
                    .push_bind(c.last_name.clone())
                    .push_bind(c.phone.clone())
                    .push_bind(c.wa_id.clone())
                    .push_bind(c.email.clone())
                    .push_bind(serde_json::to_string(&c.tags).expect("strings serialise"))
                    .push_bind(serde_json::to_string(&c.attributes).expect("strings serialise"))
                    .push_bind(c.opt_out_at.map(to_millis))
                    .push_bind(c.opt_out_source.clone())
                    .push_bind(to_millis(c.created_at))
                    .push_bind(to_millis(c.updated_at))
                    .push_bind(c.deleted_at.map(to_millis))
                    .push_bind(c.sort_name())
                    .push_bind(c.search_text());
            });
            once(&mut q).execute(&mut *conn).await.map_err(duplicate_or_backend)?;
        }
        Ok(())
    }

    async fn replace(&self, conn: &mut sqlx::SqliteConnection, c: &ContactRecord) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE contacts SET display_name = ?, first_name = ?, last_name = ?, phone = ?, wa_id = ?, email = ?, \
             tags = ?, attributes = ?, opt_out_at = ?, opt_out_source = ?, sort_name = ?, search = ?, \
             updated_at = ?, deleted_at = ? WHERE org_id = ? AND id = ?",
        )
        .bind(&c.display_name)
        .bind(&c.first_name)
        .bind(&c.last_name)
        .bind(&c.phone)
        .bind(&c.wa_id)
        .bind(&c.email)
        .bind(serde_json::to_string(&c.tags).expect("strings serialise"))
        .bind(serde_json::to_string(&c.attributes).expect("strings serialise"))
        .bind(c.opt_out_at.map(to_millis))
        .bind(&c.opt_out_source)
        .bind(c.sort_name())
        .bind(c.search_text())
        .bind(to_millis(c.updated_at))
        .bind(c.deleted_at.map(to_millis))
        .bind(c.org_id.as_str())
        .bind(&c.id)
        .execute(&mut *conn)
        .await
        .map_err(duplicate_or_backend)?;
        Ok(done.rows_affected() == 1)
    }
}

#[async_trait]
impl ContactStore for SqliteStore {
    async fn insert_contact(&self, c: &ContactRecord) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        self.insert_many(&mut conn, std::slice::from_ref(c)).await
    }

    async fn contact(&self, org: &OrgId, id: &str) -> StoreResult<Option<ContactRecord>> {
        let row = sqlx::query(concat!("SELECT ", read_columns!(), " FROM contacts WHERE org_id = ? AND id = ?"))
            .bind(org.as_str())
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.map(|r| record(&r)).transpose()
    }

    async fn update_contact(&self, c: &ContactRecord) -> StoreResult<bool> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        self.replace(&mut conn, c).await
    }

    async fn list_contacts(
        &self,
        org: &OrgId,
        filter: &ContactFilter,
        after: Option<&Cursor>,
        limit: u32,
    ) -> StoreResult<Vec<ContactRecord>> {
        // A rare fragment is found through the trigram index and its few contacts sorted; a
        // common one (more than FEW matches in all) is found faster by walking the list's own
        // order and stopping at the page's end. Fragments under three characters have no trigram.
        let few = match filter.search.chars().count() {
            0..=2 => false,
            _ => self.few_hits(&filter.search).await?,
        };
        let table = if few { "contacts NOT INDEXED" } else { "contacts" };
        let sql = format!(concat!("SELECT ", read_columns!(), " FROM {} WHERE org_id = "), table);
        let mut q = QueryBuilder::<Sqlite>::new(sql);
        q.push_bind(org.to_string()).push(" AND deleted_at IS NULL");
        if few {
            // The hits are looked up by rowid inside SQLite, one statement whatever their number.
            q.push(" AND rowid IN (SELECT rowid FROM contacts_search WHERE contacts_search MATCH ")
                .push_bind(phrase(&filter.search))
                .push(")");
        }
        if !filter.search.is_empty() {
            q.push(" AND search LIKE ").push_bind(like_anywhere(&filter.search)).push(" ESCAPE '\\'");
        }
        if let Some(tag) = &filter.tag {
            q.push(" AND EXISTS (SELECT 1 FROM json_each(contacts.tags) WHERE value = ").push_bind(tag.clone()).push(")");
        }
        match after {
            Some(Cursor::Name(name, id)) => {
                q.push(" AND (sort_name, id) > (").push_bind(name.clone()).push(", ").push_bind(id.clone()).push(")");
            }
            Some(Cursor::Recent(at, id)) => {
                q.push(" AND (updated_at, id) < (").push_bind(*at).push(", ").push_bind(id.clone()).push(")");
            }
            None => {}
        }
        q.push(match filter.sort {
            ContactSort::Name => " ORDER BY sort_name, id",
            ContactSort::Recent => " ORDER BY updated_at DESC, id DESC",
        });
        q.push(" LIMIT ").push_bind(limit);
        let rows = q.build().fetch_all(&self.pool).await.map_err(backend)?;
        rows.iter().map(record).collect()
    }

    async fn set_contacts_deleted(
        &self,
        org: &OrgId,
        ids: &[String],
        at: Option<OffsetDateTime>,
        now: OffsetDateTime,
    ) -> StoreResult<u64> {
        let mut q = QueryBuilder::<Sqlite>::new("UPDATE contacts SET deleted_at = ");
        q.push_bind(at.map(to_millis)).push(", updated_at = ").push_bind(to_millis(now));
        q.push(" WHERE org_id = ").push_bind(org.to_string());
        q.push(if at.is_some() { " AND deleted_at IS NULL AND" } else { " AND deleted_at IS NOT NULL AND" });
        push_in(&mut q, "id", ids);
        Ok(q.build().execute(&self.pool).await.map_err(backend)?.rows_affected())
    }

    async fn tag_contacts(
        &self,
        org: &OrgId,
        ids: &[String],
        tag: &str,
        add: bool,
        now: OffsetDateTime,
    ) -> StoreResult<u64> {
        // Read, change and write the tag sets in one transaction, so a concurrent edit of the
        // same contacts is not lost.
        let mut tx = self.pool.begin().await.map_err(backend)?;
        let mut q = QueryBuilder::<Sqlite>::new(concat!("SELECT ", read_columns!(), " FROM contacts WHERE org_id = "));
        q.push_bind(org.to_string()).push(" AND deleted_at IS NULL AND");
        push_in(&mut q, "id", ids);
        let rows = q.build().fetch_all(&mut *tx).await.map_err(backend)?;
        let mut changed = 0;
        for row in &rows {
            let mut c = record(row)?;
            let had = c.tags.iter().any(|t| t == tag);
            if had == add {
                continue;
            }
            if add {
                c.tags.push(tag.to_owned());
                c.tags.sort();
            } else {
                c.tags.retain(|t| t != tag);
            }
            c.updated_at = now;
            self.replace(&mut tx, &c).await?;
            changed += 1;
        }
        tx.commit().await.map_err(backend)?;
        Ok(changed)
    }

    async fn contacts_by_id(&self, org: &OrgId, ids: &[String]) -> StoreResult<Vec<ContactRecord>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let mut q = QueryBuilder::<Sqlite>::new(concat!("SELECT ", read_columns!(), " FROM contacts WHERE org_id = "));
        q.push_bind(org.to_string()).push(" AND");
        push_in(&mut q, "id", ids);
        q.build().fetch_all(&self.pool).await.map_err(backend)?.iter().map(record).collect()
    }

    async fn contacts_matching(
        &self,
        org: &OrgId,
        phones: &[String],
        emails: &[String],
    ) -> StoreResult<Vec<ContactRecord>> {
        let mut found = Vec::new();
        for (column, values) in [("phone", phones), ("email", emails)] {
            if values.is_empty() {
                continue;
            }
            let mut q = QueryBuilder::<Sqlite>::new(concat!("SELECT ", read_columns!(), " FROM contacts WHERE org_id = "));
            q.push_bind(org.to_string()).push(" AND");
            push_in(&mut q, column, values);
            for row in q.build().fetch_all(&self.pool).await.map_err(backend)? {
                found.push(record(&row)?);
            }
        }
        found.sort_by(|a, b| a.id.cmp(&b.id));
        found.dedup_by(|a, b| a.id == b.id);
        Ok(found)
    }

    async fn write_contacts(&self, inserts: &[ContactRecord], updates: &[ContactRecord]) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        self.insert_many(&mut tx, inserts).await?;
        for c in updates {
            self.replace(&mut tx, c).await?;
        }
        tx.commit().await.map_err(backend)
    }

    async fn default_country(&self, org: &OrgId) -> StoreResult<Option<String>> {
        let found: Option<Option<String>> =
            sqlx::query_scalar("SELECT default_country FROM contact_settings WHERE org_id = ?")
                .bind(org.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?;
        Ok(found.flatten())
    }

    async fn set_default_country(&self, org: &OrgId, country: &str) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO contact_settings (org_id, default_country) VALUES (?, ?) \
             ON CONFLICT (org_id) DO UPDATE SET default_country = excluded.default_country",
        )
        .bind(org.as_str())
        .bind(country)
        .execute(&self.pool)
        .await
        .map(|_| ())
        .map_err(backend)
    }

    async fn count_contacts(&self, org: &OrgId) -> StoreResult<u64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM contacts WHERE org_id = ? AND deleted_at IS NULL")
            .bind(org.as_str())
            .fetch_one(&self.pool)
            .await
            .map_err(backend)?;
        Ok(n as u64)
    }
}

fn record(r: &SqliteRow) -> StoreResult<ContactRecord> {
    // By position, in `read_columns!` order.
    let get_s = |i: usize| r.try_get::<String, _>(i).map_err(corrupt);
    let get_o = |i: usize| r.try_get::<Option<String>, _>(i).map_err(corrupt);
    let get_t = |i: usize| r.try_get::<Option<i64>, _>(i).map_err(corrupt);
    Ok(ContactRecord {
        id: get_s(0)?,
        org_id: OrgId::new(get_s(1)?),
        display_name: get_s(2)?,
        first_name: get_s(3)?,
        last_name: get_s(4)?,
        phone: get_o(5)?,
        wa_id: get_o(6)?,
        email: get_o(7)?,
        tags: serde_json::from_str(&get_s(8)?).map_err(corrupt)?,
        attributes: serde_json::from_str(&get_s(9)?).map_err(corrupt)?,
        opt_out_at: get_t(10)?.map(from_millis),
        opt_out_source: get_o(11)?,
        created_at: from_millis(get_t(12)?.unwrap_or_default()),
        updated_at: from_millis(get_t(13)?.unwrap_or_default()),
        deleted_at: get_t(14)?.map(from_millis),
    })
}

macro_rules! import_columns {
    () => {
        "id, org_id, user_id, file_name, stored_as, size, encoding, delimiter, headers, preview, mapping, mode, tags, \
         default_country, status, total_rows, rows_done, created, updated, unchanged, rejected, error, created_at, \
         finished_at"
    };
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("plain data serialises")
}

fn column_json<T: serde::de::DeserializeOwned>(r: &SqliteRow, column: &str) -> StoreResult<T> {
    serde_json::from_str(&r.try_get::<String, _>(column).map_err(corrupt)?).map_err(corrupt)
}

fn import_record(r: &SqliteRow) -> StoreResult<ImportRecord> {
    let s = |c: &str| r.try_get::<String, _>(c).map_err(corrupt);
    let n = |c: &str| r.try_get::<i64, _>(c).map_err(corrupt);
    Ok(ImportRecord {
        id: s("id")?,
        org_id: OrgId::new(s("org_id")?),
        user_id: app::ids::UserId::new(s("user_id")?),
        file_name: s("file_name")?,
        stored_as: s("stored_as")?,
        size: n("size")? as u64,
        encoding: s("encoding")?,
        delimiter: s("delimiter")?,
        headers: column_json(r, "headers")?,
        preview: column_json(r, "preview")?,
        mapping: column_json(r, "mapping")?,
        mode: ImportMode::from_key(&s("mode")?).ok_or_else(|| corrupt("mode"))?,
        tags: column_json(r, "tags")?,
        default_country: s("default_country")?,
        status: ImportStatus::from_key(&s("status")?).ok_or_else(|| corrupt("status"))?,
        total_rows: r.try_get::<Option<i64>, _>("total_rows").map_err(corrupt)?.map(|t| t as u64),
        counts: ImportCounts {
            rows_done: n("rows_done")? as u64,
            created: n("created")? as u64,
            updated: n("updated")? as u64,
            unchanged: n("unchanged")? as u64,
            rejected: n("rejected")? as u64,
        },
        error: r.try_get("error").map_err(corrupt)?,
        created_at: from_millis(n("created_at")?),
        finished_at: r.try_get::<Option<i64>, _>("finished_at").map_err(corrupt)?.map(from_millis),
    })
}

#[async_trait]
impl ImportStore for SqliteStore {
    async fn insert_import(&self, i: &ImportRecord) -> StoreResult<()> {
        sqlx::query(concat!(
            "INSERT INTO contact_imports (",
            import_columns!(),
            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        ))
        .bind(&i.id)
        .bind(i.org_id.as_str())
        .bind(i.user_id.as_str())
        .bind(&i.file_name)
        .bind(&i.stored_as)
        .bind(i.size as i64)
        .bind(&i.encoding)
        .bind(&i.delimiter)
        .bind(json(&i.headers))
        .bind(json(&i.preview))
        .bind(json(&i.mapping))
        .bind(i.mode.key())
        .bind(json(&i.tags))
        .bind(&i.default_country)
        .bind(i.status.key())
        .bind(i.total_rows.map(|t| t as i64))
        .bind(i.counts.rows_done as i64)
        .bind(i.counts.created as i64)
        .bind(i.counts.updated as i64)
        .bind(i.counts.unchanged as i64)
        .bind(i.counts.rejected as i64)
        .bind(&i.error)
        .bind(to_millis(i.created_at))
        .bind(i.finished_at.map(to_millis))
        .execute(&self.pool)
        .await
        .map(|_| ())
        .map_err(duplicate_or_backend)
    }

    async fn import(&self, org: &OrgId, id: &str) -> StoreResult<Option<ImportRecord>> {
        let row = sqlx::query(concat!("SELECT ", import_columns!(), " FROM contact_imports WHERE org_id = ? AND id = ?"))
            .bind(org.as_str())
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.map(|r| import_record(&r)).transpose()
    }

    async fn imports(&self, org: &OrgId, limit: u32) -> StoreResult<Vec<ImportRecord>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            import_columns!(),
            " FROM contact_imports WHERE org_id = ? ORDER BY created_at DESC, id DESC LIMIT ?"
        ))
        .bind(org.as_str())
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(import_record).collect()
    }

    async fn plan_import(&self, org: &OrgId, id: &str, plan: &ImportPlan) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE contact_imports SET mapping = ?, mode = ?, tags = ?, default_country = ?, status = 'queued' \
             WHERE org_id = ? AND id = ? AND status = 'uploaded'",
        )
        .bind(json(&plan.mapping))
        .bind(plan.mode.key())
        .bind(json(&plan.tags))
        .bind(&plan.default_country)
        .bind(org.as_str())
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn move_import(&self, id: &str, from: &[ImportStatus], to: ImportStatus) -> StoreResult<bool> {
        let mut q = QueryBuilder::<Sqlite>::new("UPDATE contact_imports SET status = ");
        q.push_bind(to.key()).push(" WHERE id = ").push_bind(id.to_owned()).push(" AND");
        let from: Vec<String> = from.iter().map(|s| s.key().to_owned()).collect();
        push_in(&mut q, "status", &from);
        Ok(q.build().execute(&self.pool).await.map_err(backend)?.rows_affected() == 1)
    }

    async fn write_import_batch(&self, b: &ImportBatch<'_>) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        self.insert_many(&mut tx, b.inserts).await?;
        for c in b.updates {
            self.replace(&mut tx, c).await?;
        }
        for chunk in b.rejects.chunks(1000) {
            let mut q = QueryBuilder::<Sqlite>::new("INSERT OR REPLACE INTO contact_import_rejects (import_id, row, reason, cells) ");
            q.push_values(chunk, |mut v, r| {
                v.push_bind(r.import_id.clone()).push_bind(r.row as i64).push_bind(r.reason.clone()).push_bind(json(&r.cells));
            });
            once(&mut q).execute(&mut *tx).await.map_err(backend)?;
        }
        let c = b.counts;
        sqlx::query(
            "UPDATE contact_imports SET total_rows = ?, rows_done = ?, created = ?, updated = ?, unchanged = ?, \
             rejected = ? WHERE id = ?",
        )
        .bind(b.total_rows as i64)
        .bind(c.rows_done as i64)
        .bind(c.created as i64)
        .bind(c.updated as i64)
        .bind(c.unchanged as i64)
        .bind(c.rejected as i64)
        .bind(b.import_id)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        tx.commit().await.map_err(backend)
    }

    async fn finish_import(
        &self,
        id: &str,
        status: ImportStatus,
        error: Option<&str>,
        at: OffsetDateTime,
    ) -> StoreResult<()> {
        sqlx::query("UPDATE contact_imports SET status = ?, error = ?, finished_at = ? WHERE id = ?")
            .bind(status.key())
            .bind(error)
            .bind(to_millis(at))
            .bind(id)
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(backend)
    }

    async fn import_rejects(&self, org: &OrgId, import_id: &str) -> StoreResult<Vec<RejectRecord>> {
        let rows = sqlx::query(
            "SELECT r.import_id, r.row, r.reason, r.cells FROM contact_import_rejects r \
             JOIN contact_imports i ON i.id = r.import_id WHERE i.org_id = ? AND r.import_id = ? ORDER BY r.row",
        )
        .bind(org.as_str())
        .bind(import_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter()
            .map(|r| {
                Ok(RejectRecord {
                    import_id: r.try_get("import_id").map_err(corrupt)?,
                    row: r.try_get::<i64, _>("row").map_err(corrupt)? as u64,
                    reason: r.try_get("reason").map_err(corrupt)?,
                    cells: serde_json::from_str(&r.try_get::<String, _>("cells").map_err(corrupt)?).map_err(corrupt)?,
                })
            })
            .collect()
    }
}
