use crate::storage::contacts::{ContactFilter, ContactRecord, ContactStore, Cursor};
use crate::storage::sqlite::{SqliteStore, backend};
use crate::storage::{StoreError, StoreResult, from_millis, to_millis};
use app::contacts::model::ContactSort;
use app::ids::OrgId;
use async_trait::async_trait;
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite};
use time::OffsetDateTime;

macro_rules! columns {
    () => {
        "id, org_id, display_name, first_name, last_name, phone, wa_id, email, tags, attributes, opt_out_at, \
         opt_out_source, sort_name, search, created_at, updated_at, deleted_at"
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

/// `IN (?, ?, …)` over `values`, or a false condition when there are none.
fn push_in(q: &mut QueryBuilder<Sqlite>, column: &str, values: &[String]) {
    if values.is_empty() {
        q.push(" 0");
        return;
    }
    q.push(format_args!(" {column} IN ("));
    let mut list = q.separated(", ");
    for v in values {
        list.push_bind(v.clone());
    }
    list.push_unseparated(")");
}

/// LIKE pattern for text anywhere, with LIKE's own characters escaped.
fn like_anywhere(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

impl SqliteStore {
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
                    .push_bind(c.sort_name())
                    .push_bind(c.search_text())
                    .push_bind(to_millis(c.created_at))
                    .push_bind(to_millis(c.updated_at))
                    .push_bind(c.deleted_at.map(to_millis));
            });
            q.build().execute(&mut *conn).await.map_err(duplicate_or_backend)?;
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
        let row = sqlx::query(concat!("SELECT ", columns!(), " FROM contacts WHERE org_id = ? AND id = ?"))
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
        let mut q = QueryBuilder::<Sqlite>::new(concat!("SELECT ", columns!(), " FROM contacts WHERE org_id = "));
        q.push_bind(org.to_string()).push(" AND deleted_at IS NULL");
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
        let mut q = QueryBuilder::<Sqlite>::new(concat!("SELECT ", columns!(), " FROM contacts WHERE org_id = "));
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

    async fn contacts_matching(
        &self,
        org: &OrgId,
        phones: &[String],
        emails: &[String],
    ) -> StoreResult<Vec<ContactRecord>> {
        let mut found = Vec::new();
        // In chunks, under SQLite's limit on bound parameters.
        for (column, values) in [("phone", phones), ("email", emails)] {
            for chunk in values.chunks(5000) {
                let mut q = QueryBuilder::<Sqlite>::new(concat!("SELECT ", columns!(), " FROM contacts WHERE org_id = "));
                q.push_bind(org.to_string()).push(" AND");
                push_in(&mut q, column, chunk);
                for row in q.build().fetch_all(&self.pool).await.map_err(backend)? {
                    found.push(record(&row)?);
                }
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
    let get_s = |c: &str| r.try_get::<String, _>(c).map_err(corrupt);
    let get_o = |c: &str| r.try_get::<Option<String>, _>(c).map_err(corrupt);
    let get_t = |c: &str| r.try_get::<Option<i64>, _>(c).map_err(corrupt);
    Ok(ContactRecord {
        id: get_s("id")?,
        org_id: OrgId::new(get_s("org_id")?),
        display_name: get_s("display_name")?,
        first_name: get_s("first_name")?,
        last_name: get_s("last_name")?,
        phone: get_o("phone")?,
        wa_id: get_o("wa_id")?,
        email: get_o("email")?,
        tags: serde_json::from_str(&get_s("tags")?).map_err(corrupt)?,
        attributes: serde_json::from_str(&get_s("attributes")?).map_err(corrupt)?,
        opt_out_at: get_t("opt_out_at")?.map(from_millis),
        opt_out_source: get_o("opt_out_source")?,
        created_at: from_millis(get_t("created_at")?.unwrap_or_default()),
        updated_at: from_millis(get_t("updated_at")?.unwrap_or_default()),
        deleted_at: get_t("deleted_at")?.map(from_millis),
    })
}
