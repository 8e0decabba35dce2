use crate::storage::mongo::{MongoStore, backend};
use crate::storage::{StoreError, StoreResult, from_millis, to_millis};
use crate::storage::accounts::{AccountStore, LoginEvent, MembershipRecord, OrgRecord, PendingRegistration, UserRecord};
use app::accounts::model::Role;
use app::ids::{OrgId, UserId};
use async_trait::async_trait;
use futures_util::TryStreamExt;
use mongodb::bson::doc;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// This area's indexes (see `MongoStore::index`).
pub(crate) async fn ensure_indexes(m: &MongoStore) -> mongodb::error::Result<()> {
    m.index("users", doc! { "email": 1 }, Some("email")).await?;
    m.index("memberships", doc! { "org_id": 1, "user_id": 1 }, Some("org_id")).await?;
    m.index("memberships", doc! { "user_id": 1 }, None).await?;
    m.index("login_events", doc! { "user_id": 1, "at": -1 }, None).await?;
    m.index("login_failures", doc! { "key": 1, "at": 1 }, None).await
}

#[derive(Serialize, Deserialize)]
pub(crate) struct UserDoc {
    #[serde(rename = "_id")]
    pub(crate) id: String,
    pub(crate) email: String,
    pub(crate) first_name: String,
    pub(crate) last_name: String,
    pub(crate) password_hash: String,
    pub(crate) lang: String,
    pub(crate) created_at: i64,
}

impl From<UserDoc> for UserRecord {
    fn from(d: UserDoc) -> Self {
        UserRecord {
            id: UserId::new(d.id),
            email: d.email,
            first_name: d.first_name,
            last_name: d.last_name,
            password_hash: d.password_hash,
            lang: d.lang,
            created_at: from_millis(d.created_at),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct OrgDoc {
    #[serde(rename = "_id")]
    id: String,
    name: String,
    created_at: i64,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct MembershipDoc {
    pub(crate) org_id: String,
    pub(crate) user_id: String,
    pub(crate) role: String,
    pub(crate) created_at: i64,
}

#[derive(Serialize, Deserialize)]
struct LoginDoc {
    #[serde(rename = "_id")]
    id: String,
    user_id: String,
    at: i64,
    ip: String,
    user_agent: String,
}

#[derive(Serialize, Deserialize)]
struct RegistrationDoc {
    #[serde(rename = "_id")]
    token_hash: String,
    email: String,
    first_name: String,
    last_name: String,
    password_hash: String,
    organisation: String,
    lang: String,
    expires_at: i64,
    used_at: Option<i64>,
    created_at: i64,
}

fn role(s: &str) -> StoreResult<Role> {
    Role::parse(s).ok_or_else(|| StoreError::Corrupt(format!("role {s}")))
}

impl MongoStore {
    pub(crate) fn users(&self) -> mongodb::Collection<UserDoc> {
        self.typed("users")
    }
    fn orgs(&self) -> mongodb::Collection<OrgDoc> {
        self.typed("organisations")
    }
    pub(crate) fn members(&self) -> mongodb::Collection<MembershipDoc> {
        self.typed("memberships")
    }
}

impl From<&UserRecord> for UserDoc {
    fn from(user: &UserRecord) -> Self {
        UserDoc {
            id: user.id.as_str().to_owned(),
            email: user.email.clone(),
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            password_hash: user.password_hash.clone(),
            lang: user.lang.clone(),
            created_at: to_millis(user.created_at),
        }
    }
}

#[async_trait]
impl AccountStore for MongoStore {
    async fn create_owner(&self, user: &UserRecord, org: &OrgRecord) -> StoreResult<()> {
        // No multi-document transaction: the user goes first (its unique e-mail index decides),
        // and a later failure removes what was written.
        self.users().insert_one(UserDoc::from(user)).await.map_err(backend)?;
        let rest = async {
            let o = OrgDoc {
                id: org.id.as_str().to_owned(),
                name: org.name.clone(),
                created_at: to_millis(org.created_at),
            };
            self.orgs().insert_one(o).await?;
            let m = MembershipDoc {
                org_id: org.id.as_str().to_owned(),
                user_id: user.id.as_str().to_owned(),
                role: Role::Owner.as_str().to_owned(),
                created_at: to_millis(user.created_at),
            };
            self.members().insert_one(m).await.map(|_| ())
        };
        if let Err(e) = rest.await {
            let _ = self.users().delete_one(doc! { "_id": user.id.as_str() }).await;
            let _ = self.orgs().delete_one(doc! { "_id": org.id.as_str() }).await;
            return Err(backend(e));
        }
        Ok(())
    }

    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>> {
        Ok(self.users().find_one(doc! { "email": email }).await.map_err(backend)?.map(Into::into))
    }

    async fn user(&self, id: &UserId) -> StoreResult<Option<UserRecord>> {
        Ok(self.users().find_one(doc! { "_id": id.as_str() }).await.map_err(backend)?.map(Into::into))
    }

    async fn set_password_hash(&self, id: &UserId, hash: &str) -> StoreResult<()> {
        self.users()
            .update_one(doc! { "_id": id.as_str() }, doc! { "$set": { "password_hash": hash } })
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn update_profile(&self, id: &UserId, first_name: &str, last_name: &str, lang: &str) -> StoreResult<()> {
        let set = doc! { "$set": { "first_name": first_name, "last_name": last_name, "lang": lang } };
        self.users().update_one(doc! { "_id": id.as_str() }, set).await.map_err(backend)?;
        Ok(())
    }

    async fn role_in(&self, org: &OrgId, user: &UserId) -> StoreResult<Option<Role>> {
        let found = self
            .members()
            .find_one(doc! { "org_id": org.as_str(), "user_id": user.as_str() })
            .await
            .map_err(backend)?;
        found.map(|m| role(&m.role)).transpose()
    }

    async fn memberships(&self, user: &UserId) -> StoreResult<Vec<MembershipRecord>> {
        let members: Vec<MembershipDoc> = self
            .members()
            .find(doc! { "user_id": user.as_str() })
            .sort(doc! { "created_at": 1, "org_id": 1 })
            .await
            .map_err(backend)?
            .try_collect()
            .await
            .map_err(backend)?;
        let mut out = Vec::with_capacity(members.len());
        for m in members {
            if let Some(o) = self.orgs().find_one(doc! { "_id": &m.org_id }).await.map_err(backend)? {
                let org = OrgRecord { id: OrgId::new(o.id), name: o.name, created_at: from_millis(o.created_at) };
                out.push(MembershipRecord { org, role: role(&m.role)? });
            }
        }
        Ok(out)
    }

    async fn record_login(&self, e: &LoginEvent) -> StoreResult<()> {
        let doc = LoginDoc {
            id: e.id.clone(),
            user_id: e.user_id.as_str().to_owned(),
            at: to_millis(e.at),
            ip: e.ip.clone(),
            user_agent: e.user_agent.clone(),
        };
        self.typed::<LoginDoc>("login_events").insert_one(doc).await.map(|_| ()).map_err(backend)
    }

    async fn recent_logins(&self, user: &UserId, limit: u32) -> StoreResult<Vec<LoginEvent>> {
        let docs: Vec<LoginDoc> = self
            .typed::<LoginDoc>("login_events")
            .find(doc! { "user_id": user.as_str() })
            .sort(doc! { "at": -1, "_id": 1 })
            .limit(limit as i64)
            .await
            .map_err(backend)?
            .try_collect()
            .await
            .map_err(backend)?;
        Ok(docs
            .into_iter()
            .map(|d| LoginEvent {
                id: d.id,
                user_id: UserId::new(d.user_id),
                at: from_millis(d.at),
                ip: d.ip,
                user_agent: d.user_agent,
            })
            .collect())
    }

    async fn record_login_failure(&self, key: &str, at: OffsetDateTime) -> StoreResult<()> {
        self.raw("login_failures")
            .insert_one(doc! { "key": key, "at": to_millis(at) })
            .await
            .map(|_| ())
            .map_err(backend)
    }

    async fn login_failures_since(&self, key: &str, since: OffsetDateTime) -> StoreResult<u32> {
        let failures = self.raw("login_failures");
        let n = failures.count_documents(doc! { "key": key, "at": { "$gte": to_millis(since) } }).await;
        Ok(n.map_err(backend)? as u32)
    }

    async fn clear_login_failures(&self, key: &str) -> StoreResult<()> {
        self.raw("login_failures").delete_many(doc! { "key": key }).await.map(|_| ()).map_err(backend)
    }

    async fn insert_registration(&self, r: &PendingRegistration) -> StoreResult<()> {
        let doc = RegistrationDoc {
            token_hash: r.token_hash.clone(),
            email: r.email.clone(),
            first_name: r.first_name.clone(),
            last_name: r.last_name.clone(),
            password_hash: r.password_hash.clone(),
            organisation: r.organisation.clone(),
            lang: r.lang.clone(),
            expires_at: to_millis(r.expires_at),
            used_at: r.used_at.map(to_millis),
            created_at: to_millis(r.created_at),
        };
        self.typed::<RegistrationDoc>("registrations").insert_one(doc).await.map(|_| ()).map_err(backend)
    }

    async fn take_registration(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Option<PendingRegistration>> {
        let now = to_millis(now);
        let filter = doc! { "_id": token_hash, "used_at": mongodb::bson::Bson::Null, "expires_at": { "$gt": now } };
        let found = self
            .typed::<RegistrationDoc>("registrations")
            .find_one_and_update(filter, doc! { "$set": { "used_at": now } })
            .return_document(mongodb::options::ReturnDocument::After)
            .await
            .map_err(backend)?;
        Ok(found.map(|d| PendingRegistration {
            token_hash: d.token_hash,
            email: d.email,
            first_name: d.first_name,
            last_name: d.last_name,
            password_hash: d.password_hash,
            organisation: d.organisation,
            lang: d.lang,
            expires_at: from_millis(d.expires_at),
            used_at: d.used_at.map(from_millis),
            created_at: from_millis(d.created_at),
        }))
    }

    async fn purge_stale_sign_ups(&self, now: OffsetDateTime, failures_before: OffsetDateTime) -> StoreResult<u64> {
        let now = to_millis(now);
        let stale =
            doc! { "$or": [ { "used_at": { "$ne": mongodb::bson::Bson::Null } }, { "expires_at": { "$lte": now } } ] };
        let sign_ups = self.raw("registrations").delete_many(stale).await.map_err(backend)?.deleted_count;
        let old = doc! { "at": { "$lt": to_millis(failures_before) } };
        let failures = self.raw("login_failures").delete_many(old).await.map_err(backend)?.deleted_count;
        Ok(sign_ups + failures)
    }
}
