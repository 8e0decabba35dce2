use crate::storage::inbox::{
    AssigneeFilter, ConversationChange, ConversationFilter, ConversationRecord, Filing, InboxStore, MessageRecord,
};
use crate::storage::sqlite::{SqliteStore, backend};
use crate::storage::{StoreResult, to_millis};
use app::ids::OrgId;
use app::inbox::model::{Direction, MessageContent, MessageError, MessageStatus, Referral};
use async_trait::async_trait;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use time::OffsetDateTime;

macro_rules! conversation_columns {
    () => {
        "id, org_id, contact_id, phone_number_id, status, assignee, unread, preview, last_message_at, \
         last_inbound_at, referral, created_at, updated_at"
    };
}

macro_rules! message_columns {
    () => {
        "id, org_id, conversation_id, phone_number_id, wamid, direction, content, context_wamid, status, error, \
         sent_by, created_at, status_at"
    };
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("records serialise")
}

#[async_trait]
impl InboxStore for SqliteStore {
    async fn open_conversation(&self, c: &ConversationRecord) -> StoreResult<ConversationRecord> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        open_in(&mut conn, c).await
    }

    async fn conversation(&self, org: &OrgId, id: &str) -> StoreResult<Option<ConversationRecord>> {
        let sql = concat!("SELECT ", conversation_columns!(), " FROM conversations WHERE org_id = ? AND id = ?");
        sqlx::query_as(sql).bind(org.as_str()).bind(id).fetch_optional(&self.pool).await.map_err(backend)
    }

    async fn list_conversations(
        &self,
        org: &OrgId,
        filter: &ConversationFilter,
        after: Option<&(i64, String)>,
        limit: u32,
    ) -> StoreResult<Vec<ConversationRecord>> {
        let mut q = QueryBuilder::<Sqlite>::new(concat!("SELECT ", conversation_columns!(), " FROM conversations WHERE org_id = "));
        q.push_bind(org.as_str());
        if let Some(status) = filter.status {
            q.push(" AND status = ").push_bind(status.key());
        }
        if let Some(contact) = &filter.contact_id {
            q.push(" AND contact_id = ").push_bind(contact.clone());
        }
        match &filter.assignee {
            AssigneeFilter::Anyone => {}
            AssigneeFilter::Nobody => {
                q.push(" AND assignee IS NULL");
            }
            AssigneeFilter::User(user) => {
                q.push(" AND assignee = ").push_bind(user.clone());
            }
        }
        let in_list = |q: &mut QueryBuilder<Sqlite>, column: &str, ids: &[String]| {
            q.push(format!("{column} IN (SELECT value FROM json_each(")).push_bind(json(&ids)).push("))");
        };
        if let Some(contacts) = &filter.contacts {
            q.push(" AND ");
            in_list(&mut q, "contact_id", contacts);
        }
        if let Some((contacts, conversations)) = &filter.matching {
            // A search's matches are few: looked up by contact (its unique index) and by id,
            // rather than walking every conversation by recency testing each.
            q.push(" AND id IN (SELECT id FROM conversations WHERE org_id = ").push_bind(org.as_str());
            q.push(" AND ");
            in_list(&mut q, "contact_id", contacts);
            q.push(" UNION SELECT value FROM json_each(").push_bind(json(&conversations)).push("))");
        }
        if let Some((at, id)) = after {
            q.push(" AND (last_message_at, id) < (").push_bind(*at).push(", ").push_bind(id.clone()).push(")");
        }
        q.push(" ORDER BY last_message_at DESC, id DESC LIMIT ").push_bind(limit);
        q.build_query_as().fetch_all(&self.pool).await.map_err(backend)
    }

    async fn change_conversation(
        &self,
        org: &OrgId,
        id: &str,
        change: &ConversationChange,
        now: OffsetDateTime,
    ) -> StoreResult<bool> {
        let mut q = QueryBuilder::<Sqlite>::new("UPDATE conversations SET updated_at = ");
        q.push_bind(to_millis(now));
        if let Some(status) = change.status {
            q.push(", status = ").push_bind(status.key());
        }
        if let Some(assignee) = &change.assignee {
            q.push(", assignee = ").push_bind(assignee.clone());
        }
        if change.read {
            q.push(", unread = 0");
        }
        q.push(" WHERE org_id = ").push_bind(org.as_str()).push(" AND id = ").push_bind(id);
        Ok(q.build().execute(&self.pool).await.map_err(backend)?.rows_affected() == 1)
    }

    async fn add_message(&self, m: &MessageRecord, referral: Option<&Referral>) -> StoreResult<bool> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(backend)?;
        let added = add_in(&mut tx, m, referral).await?;
        tx.commit().await.map_err(backend)?;
        Ok(added)
    }

    async fn file_messages(&self, batch: &[Filing]) -> StoreResult<Vec<bool>> {
        // One write transaction for the batch: a commit per message is what bounds the rate.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(backend)?;
        let mut added = Vec::with_capacity(batch.len());
        for f in batch {
            let conversation = open_in(&mut tx, &f.conversation).await?;
            let message = MessageRecord { conversation_id: conversation.id, ..f.message.clone() };
            added.push(add_in(&mut tx, &message, f.referral.as_ref()).await?);
        }
        tx.commit().await.map_err(backend)?;
        Ok(added)
    }

    async fn message(&self, org: &OrgId, id: &str) -> StoreResult<Option<MessageRecord>> {
        let sql = concat!("SELECT ", message_columns!(), " FROM messages WHERE org_id = ? AND id = ?");
        sqlx::query_as(sql).bind(org.as_str()).bind(id).fetch_optional(&self.pool).await.map_err(backend)
    }

    async fn message_by_wamid(&self, phone_number_id: &str, wamid: &str) -> StoreResult<Option<MessageRecord>> {
        let sql = concat!("SELECT ", message_columns!(), " FROM messages WHERE phone_number_id = ? AND wamid = ?");
        sqlx::query_as(sql).bind(phone_number_id).bind(wamid).fetch_optional(&self.pool).await.map_err(backend)
    }

    async fn messages(
        &self,
        org: &OrgId,
        conversation_id: &str,
        before: Option<&(i64, String)>,
        limit: u32,
    ) -> StoreResult<Vec<MessageRecord>> {
        let mut q = QueryBuilder::<Sqlite>::new(concat!("SELECT ", message_columns!(), " FROM messages WHERE conversation_id = "));
        q.push_bind(conversation_id).push(" AND org_id = ").push_bind(org.as_str());
        if let Some((at, id)) = before {
            q.push(" AND (created_at, id) < (").push_bind(*at).push(", ").push_bind(id.clone()).push(")");
        }
        q.push(" ORDER BY created_at DESC, id DESC LIMIT ").push_bind(limit);
        q.build_query_as().fetch_all(&self.pool).await.map_err(backend)
    }

    async fn advance_status(
        &self,
        phone_number_id: &str,
        wamid: &str,
        status: MessageStatus,
        error: Option<&MessageError>,
        at: OffsetDateTime,
    ) -> StoreResult<Option<MessageRecord>> {
        // One guarded statement: two deliveries racing can only both move a status forward.
        let sql = concat!("UPDATE messages SET status = ?, status_rank = ?, error = coalesce(?, error), status_at = ? \
             WHERE phone_number_id = ? AND wamid = ? AND status_rank < ? AND (? = 0 OR status_rank <= 1) \
             RETURNING ", message_columns!(), ""
        );
        sqlx::query_as(sql)
            .bind(status.key())
            .bind(status.rank())
            .bind(error.map(json))
            .bind(to_millis(at))
            .bind(phone_number_id)
            .bind(wamid)
            .bind(status.rank())
            .bind((status == MessageStatus::Failed) as i64)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)
    }

    async fn set_wamid(&self, org: &OrgId, id: &str, wamid: &str, at: OffsetDateTime) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE messages SET wamid = ?, \
               status = CASE WHEN status_rank < 1 THEN 'sent' ELSE status END, \
               status_at = CASE WHEN status_rank < 1 THEN ? ELSE status_at END, \
               status_rank = max(status_rank, 1) \
             WHERE org_id = ? AND id = ?",
        )
        .bind(wamid)
        .bind(to_millis(at))
        .bind(org.as_str())
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn search_messages(&self, org: &OrgId, text: &str, limit: u32) -> StoreResult<Vec<String>> {
        let text = text.to_lowercase();
        // Three characters or more are found through the trigram index; shorter text would match
        // too much to be worth a scan.
        if text.chars().count() < 3 {
            return Ok(Vec::new());
        }
        sqlx::query_scalar(
            "SELECT conversation_id FROM messages WHERE org_id = ? AND rowid IN \
             (SELECT rowid FROM messages_search WHERE messages_search MATCH ?) \
             GROUP BY conversation_id ORDER BY max(created_at) DESC LIMIT ?",
        )
        .bind(org.as_str())
        .bind(format!("\"{}\"", text.replace('"', "\"\"")))
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)
    }

    async fn set_content(&self, org: &OrgId, id: &str, content: &MessageContent) -> StoreResult<bool> {
        let done = sqlx::query("UPDATE messages SET content = ? WHERE org_id = ? AND id = ?")
            .bind(json(content))
            .bind(org.as_str())
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn fail_unsent(&self, org: &OrgId, id: &str, error: &MessageError, at: OffsetDateTime) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE messages SET status = 'failed', status_rank = ?, error = ?, status_at = ? \
             WHERE org_id = ? AND id = ? AND status_rank = 0",
        )
        .bind(MessageStatus::Failed.rank())
        .bind(json(error))
        .bind(to_millis(at))
        .bind(org.as_str())
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn touch_inbox(&self, org: &OrgId) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO inbox_clock (org_id, version) VALUES (?, 1) \
             ON CONFLICT (org_id) DO UPDATE SET version = version + 1",
        )
        .bind(org.as_str())
        .execute(&self.pool)
        .await
        .map(|_| ())
        .map_err(backend)
    }

    async fn inbox_version(&self, org: &OrgId) -> StoreResult<i64> {
        let version: Option<i64> = sqlx::query_scalar("SELECT version FROM inbox_clock WHERE org_id = ?")
            .bind(org.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        Ok(version.unwrap_or(0))
    }

    async fn unread_total(&self, org: &OrgId) -> StoreResult<u64> {
        let total: i64 =
            sqlx::query_scalar("SELECT coalesce(sum(unread), 0) FROM conversations WHERE org_id = ? AND unread > 0")
                .bind(org.as_str())
                .fetch_one(&self.pool)
                .await
                .map_err(backend)?;
        Ok(total.max(0) as u64)
    }
}

/// `open_conversation` on a connection (or within a transaction).
async fn open_in(conn: &mut SqliteConnection, c: &ConversationRecord) -> StoreResult<ConversationRecord> {
    let insert = concat!("INSERT INTO conversations (", conversation_columns!(), ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (org_id, contact_id, phone_number_id) DO NOTHING"
    );
    sqlx::query(insert)
        .bind(&c.id)
        .bind(c.org_id.as_str())
        .bind(&c.contact_id)
        .bind(&c.phone_number_id)
        .bind(c.status.key())
        .bind(&c.assignee)
        .bind(c.unread)
        .bind(&c.preview)
        .bind(to_millis(c.last_message_at))
        .bind(c.last_inbound_at.map(to_millis))
        .bind(c.referral.as_ref().map(json))
        .bind(to_millis(c.created_at))
        .bind(to_millis(c.updated_at))
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    let select = concat!("SELECT ", conversation_columns!(), " FROM conversations WHERE org_id = ? AND contact_id = ? AND phone_number_id = ?"
    );
    sqlx::query_as(select)
        .bind(c.org_id.as_str())
        .bind(&c.contact_id)
        .bind(&c.phone_number_id)
        .fetch_one(&mut *conn)
        .await
        .map_err(backend)
}

/// `add_message` within a transaction the caller commits.
async fn add_in(conn: &mut SqliteConnection, m: &MessageRecord, referral: Option<&Referral>) -> StoreResult<bool> {
    let insert = concat!("INSERT INTO messages (", message_columns!(), ", status_rank) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (phone_number_id, wamid) WHERE wamid IS NOT NULL DO NOTHING"
    );
    let added = sqlx::query(insert)
        .bind(&m.id)
        .bind(m.org_id.as_str())
        .bind(&m.conversation_id)
        .bind(&m.phone_number_id)
        .bind(&m.wamid)
        .bind(m.direction.key())
        .bind(json(&m.content))
        .bind(&m.context_wamid)
        .bind(m.status.key())
        .bind(m.error.as_ref().map(json))
        .bind(&m.sent_by)
        .bind(to_millis(m.created_at))
        .bind(to_millis(m.status_at))
        .bind(m.status.rank())
        .execute(&mut *conn)
        .await
        .map_err(backend)?
        .rows_affected()
        == 1;
    if !added {
        return Ok(false);
    }
    let inbound = m.direction == Direction::In;
    // A late delivery (older than the newest message) still counts as unread but does not
    // take over the preview.
    sqlx::query(
        "UPDATE conversations SET \
           preview = CASE WHEN ?1 >= last_message_at THEN ?2 ELSE preview END, \
           last_message_at = max(last_message_at, ?1), \
           unread = unread + ?3, \
           last_inbound_at = CASE WHEN ?3 = 1 THEN max(coalesce(last_inbound_at, 0), ?1) ELSE last_inbound_at END, \
           status = CASE WHEN ?3 = 1 AND status = 'resolved' THEN 'open' ELSE status END, \
           referral = coalesce(referral, ?4), \
           updated_at = ?5 \
         WHERE org_id = ?6 AND id = ?7",
    )
    .bind(to_millis(m.created_at))
    .bind(m.content.preview())
    .bind(inbound as i64)
    .bind(referral.map(json))
    .bind(to_millis(m.status_at))
    .bind(m.org_id.as_str())
    .bind(&m.conversation_id)
    .execute(&mut *conn)
    .await
    .map_err(backend)?;
    Ok(true)
}
