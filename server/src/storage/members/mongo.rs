use crate::storage::accounts::mongo::{MembershipDoc, UserDoc};
use crate::storage::mongo::{MongoStore, backend};
use crate::storage::{StoreError, StoreResult, from_millis, to_millis};
use crate::storage::accounts::UserRecord;
use crate::storage::members::{InvitationRecord, MemberStore};
use app::accounts::model::Role;
use app::ids::{OrgId, UserId};
use async_trait::async_trait;
use futures_util::TryStreamExt;
use mongodb::bson::{Bson, doc};
use mongodb::options::ReturnDocument;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// This area's indexes (see `MongoStore::index`).
pub(crate) async fn ensure_indexes(m: &MongoStore) -> mongodb::error::Result<()> {
    m.index("invitations", doc! { "token_hash": 1 }, Some("token_hash")).await?;
    m.index("invitations", doc! { "org_id": 1, "created_at": -1 }, None).await
}

#[derive(Serialize, Deserialize)]
struct InvitationDoc {
    #[serde(rename = "_id")]
    id: String,
    org_id: String,
    email: String,
    role: String,
    token_hash: String,
    invited_by: String,
    expires_at: i64,
    accepted_at: Option<i64>,
    revoked_at: Option<i64>,
    created_at: i64,
}

fn role(s: &str) -> StoreResult<Role> {
    Role::parse(s).ok_or_else(|| StoreError::Corrupt(format!("role {s}")))
}

impl TryFrom<InvitationDoc> for InvitationRecord {
    type Error = StoreError;
    fn try_from(d: InvitationDoc) -> StoreResult<Self> {
        Ok(InvitationRecord {
            role: role(&d.role)?,
            id: d.id,
            org_id: OrgId::new(d.org_id),
            email: d.email,
            token_hash: d.token_hash,
            invited_by: UserId::new(d.invited_by),
            expires_at: from_millis(d.expires_at),
            accepted_at: d.accepted_at.map(from_millis),
            revoked_at: d.revoked_at.map(from_millis),
            created_at: from_millis(d.created_at),
        })
    }
}

impl MongoStore {
    fn invitations(&self) -> mongodb::Collection<InvitationDoc> {
        self.typed("invitations")
    }

    async fn pending_update(
        &self,
        filter: mongodb::bson::Document,
        set: mongodb::bson::Document,
    ) -> StoreResult<Option<InvitationRecord>> {
        let found = self
            .invitations()
            .find_one_and_update(filter, doc! { "$set": set })
            .return_document(ReturnDocument::After)
            .await
            .map_err(backend)?;
        found.map(InvitationRecord::try_from).transpose()
    }
}

#[async_trait]
impl MemberStore for MongoStore {
    async fn members(&self, org: &OrgId) -> StoreResult<Vec<(UserRecord, Role)>> {
        let memberships: Vec<MembershipDoc> = self
            .members()
            .find(doc! { "org_id": org.as_str() })
            .sort(doc! { "created_at": 1, "user_id": 1 })
            .await
            .map_err(backend)?
            .try_collect()
            .await
            .map_err(backend)?;
        let ids: Vec<&str> = memberships.iter().map(|m| m.user_id.as_str()).collect();
        let users: Vec<UserDoc> = self
            .users()
            .find(doc! { "_id": { "$in": ids } })
            .await
            .map_err(backend)?
            .try_collect()
            .await
            .map_err(backend)?;
        let mut out = vec![];
        for m in memberships {
            if let Some(u) = users.iter().find(|u| u.id == m.user_id) {
                let user = UserRecord {
                    id: UserId::new(u.id.clone()),
                    email: u.email.clone(),
                    first_name: u.first_name.clone(),
                    last_name: u.last_name.clone(),
                    password_hash: u.password_hash.clone(),
                    lang: u.lang.clone(),
                    created_at: from_millis(u.created_at),
                };
                out.push((user, role(&m.role)?));
            }
        }
        Ok(out)
    }

    async fn add_member(&self, org: &OrgId, user: &UserId, role: Role, at: OffsetDateTime) -> StoreResult<()> {
        let m = MembershipDoc {
            org_id: org.as_str().to_owned(),
            user_id: user.as_str().to_owned(),
            role: role.as_str().to_owned(),
            created_at: to_millis(at),
        };
        self.members().insert_one(m).await.map(|_| ()).map_err(backend)
    }

    async fn set_role(&self, org: &OrgId, user: &UserId, role: Role) -> StoreResult<bool> {
        let filter = doc! { "org_id": org.as_str(), "user_id": user.as_str() };
        let done =
            self.members().update_one(filter, doc! { "$set": { "role": role.as_str() } }).await.map_err(backend)?;
        Ok(done.matched_count == 1)
    }

    async fn remove_member(&self, org: &OrgId, user: &UserId) -> StoreResult<bool> {
        let done = self
            .members()
            .delete_one(doc! { "org_id": org.as_str(), "user_id": user.as_str() })
            .await
            .map_err(backend)?;
        Ok(done.deleted_count == 1)
    }

    async fn create_user(&self, user: &UserRecord) -> StoreResult<()> {
        self.users().insert_one(UserDoc::from(user)).await.map(|_| ()).map_err(backend)
    }

    async fn create_invitation(&self, i: &InvitationRecord) -> StoreResult<()> {
        let doc = InvitationDoc {
            id: i.id.clone(),
            org_id: i.org_id.as_str().to_owned(),
            email: i.email.clone(),
            role: i.role.as_str().to_owned(),
            token_hash: i.token_hash.clone(),
            invited_by: i.invited_by.as_str().to_owned(),
            expires_at: to_millis(i.expires_at),
            accepted_at: i.accepted_at.map(to_millis),
            revoked_at: i.revoked_at.map(to_millis),
            created_at: to_millis(i.created_at),
        };
        self.invitations().insert_one(doc).await.map(|_| ()).map_err(backend)
    }

    async fn pending_invitations(&self, org: &OrgId, now: OffsetDateTime) -> StoreResult<Vec<InvitationRecord>> {
        let filter = doc! {
            "org_id": org.as_str(), "accepted_at": Bson::Null, "revoked_at": Bson::Null,
            "expires_at": { "$gt": to_millis(now) },
        };
        let docs: Vec<InvitationDoc> = self
            .invitations()
            .find(filter)
            .sort(doc! { "created_at": -1, "_id": 1 })
            .await
            .map_err(backend)?
            .try_collect()
            .await
            .map_err(backend)?;
        docs.into_iter().map(InvitationRecord::try_from).collect()
    }

    async fn invitation_by_token(&self, token_hash: &str) -> StoreResult<Option<InvitationRecord>> {
        let found = self.invitations().find_one(doc! { "token_hash": token_hash }).await.map_err(backend)?;
        found.map(InvitationRecord::try_from).transpose()
    }

    async fn accept_invitation(&self, token_hash: &str, now: OffsetDateTime) -> StoreResult<Option<InvitationRecord>> {
        let now = to_millis(now);
        let filter = doc! {
            "token_hash": token_hash, "accepted_at": Bson::Null, "revoked_at": Bson::Null, "expires_at": { "$gt": now },
        };
        self.pending_update(filter, doc! { "accepted_at": now }).await
    }

    async fn revoke_invitation(&self, org: &OrgId, id: &str, now: OffsetDateTime) -> StoreResult<bool> {
        let filter = doc! { "_id": id, "org_id": org.as_str(), "accepted_at": Bson::Null, "revoked_at": Bson::Null };
        Ok(self.pending_update(filter, doc! { "revoked_at": to_millis(now) }).await?.is_some())
    }

    async fn renew_invitation(
        &self,
        org: &OrgId,
        id: &str,
        token_hash: &str,
        expires_at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> StoreResult<Option<InvitationRecord>> {
        let filter = doc! {
            "_id": id, "org_id": org.as_str(), "accepted_at": Bson::Null, "revoked_at": Bson::Null,
            "expires_at": { "$gt": to_millis(now) },
        };
        self.pending_update(filter, doc! { "token_hash": token_hash, "expires_at": to_millis(expires_at) }).await
    }
}
