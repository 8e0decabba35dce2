//! Account types the UI and the server share.

use serde::{Deserialize, Serialize};

/// What a member may do in an organisation. Ordered: owner > admin > member.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Member,
    Admin,
    Owner,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Member => "member",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        [Role::Owner, Role::Admin, Role::Member].into_iter().find(|r| r.as_str() == s)
    }

    /// The Fluent key of the role's name.
    pub fn key(self) -> &'static str {
        match self {
            Role::Owner => "app-role-owner",
            Role::Admin => "app-role-admin",
            Role::Member => "app-role-member",
        }
    }

    /// Owners and admins manage members, invitations and connected accounts.
    pub fn can_manage_members(self) -> bool {
        self >= Role::Admin
    }
}

/// A stored role that is none of ours.
#[derive(Debug, thiserror::Error)]
#[error("unknown role {0:?}")]
pub struct UnknownRole(pub String);

impl TryFrom<String> for Role {
    type Error = UnknownRole;

    fn try_from(s: String) -> Result<Self, UnknownRole> {
        Role::parse(&s).ok_or(UnknownRole(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_order_and_round_trip() {
        assert!(Role::Owner > Role::Admin && Role::Admin > Role::Member);
        for r in [Role::Owner, Role::Admin, Role::Member] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
        assert!(!Role::Member.can_manage_members() && Role::Admin.can_manage_members());
    }
}

/// Who is signed in, and where: what the app shell shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub user_id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub org_id: String,
    pub org_name: String,
    pub role: Role,
    /// Every organisation the user belongs to (for the switcher): (id, name, role).
    pub orgs: Vec<(String, String, Role)>,
}

/// What a successful sign-in, registration or refresh gives the browser. The refresh token is not
/// here: it travels only in an HttpOnly cookie.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessGrant {
    pub access_token: String,
    /// Unix seconds.
    pub expires_at: i64,
    pub viewer: Viewer,
}

/// Fields of the registration form. It holds a plaintext password, so it is neither `Debug` nor
/// `Serialize`: it cannot end up in a log line or a response.
#[derive(Clone, PartialEq, Eq)]
pub struct Registration {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub password: String,
    pub organisation: String,
    pub lang: String,
}

/// The signed-in caller of a server function, re-checked against the store on every call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    pub user_id: crate::ids::UserId,
    pub org_id: crate::ids::OrgId,
    pub role: Role,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub is_self: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub id: String,
    pub email: String,
    pub role: Role,
    /// Unix seconds.
    pub expires_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembersOverview {
    pub members: Vec<MemberView>,
    pub invitations: Vec<InvitationView>,
}

/// What the invitation page shows before accepting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationPreview {
    pub org_name: String,
    pub email: String,
    pub role: Role,
    /// The invited address already has an account: accepting asks for its password.
    pub existing_account: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInView {
    /// Unix seconds.
    pub at: i64,
    pub ip: String,
    pub user_agent: String,
}

/// Settings → Profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub lang: String,
    pub recent_sign_ins: Vec<SignInView>,
}
