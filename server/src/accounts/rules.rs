//! Who may do what to whom in an organisation. Pure functions, so every rule has a unit test.

use app::accounts::model::Role;
use app::accounts::port::AccountsError;

fn forbidden() -> AccountsError {
    AccountsError::Forbidden
}

/// Owners and admins invite; only owners invite owners.
pub fn may_invite(caller: Role, role: Role) -> Result<(), AccountsError> {
    if !caller.can_manage_members() || (role == Role::Owner && caller != Role::Owner) {
        return Err(forbidden());
    }
    Ok(())
}

/// Changing `target` from `from` to `to`, with `owners` owners in the organisation.
pub fn may_change_role(caller: Role, from: Role, to: Role, owners: usize) -> Result<(), AccountsError> {
    if !caller.can_manage_members() || ((from == Role::Owner || to == Role::Owner) && caller != Role::Owner) {
        return Err(forbidden());
    }
    if from == Role::Owner && to != Role::Owner && owners <= 1 {
        return Err(AccountsError::LastOwner);
    }
    Ok(())
}

/// Removing a member with role `target` (anyone may leave; the last owner may not).
pub fn may_remove(caller: Role, target: Role, is_self: bool, owners: usize) -> Result<(), AccountsError> {
    if !is_self && (!caller.can_manage_members() || (target == Role::Owner && caller != Role::Owner)) {
        return Err(forbidden());
    }
    if target == Role::Owner && owners <= 1 {
        return Err(AccountsError::LastOwner);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use Role::*;

    fn code(r: Result<(), AccountsError>) -> &'static str {
        match r {
            Ok(()) => "ok",
            Err(AccountsError::Forbidden) => "forbidden",
            Err(AccountsError::LastOwner) => "last-owner",
            Err(e) => panic!("unexpected {e:?}"),
        }
    }

    #[test]
    fn members_manage_nobody() {
        assert_eq!(code(may_invite(Member, Member)), "forbidden");
        assert_eq!(code(may_change_role(Member, Member, Admin, 1)), "forbidden");
        assert_eq!(code(may_remove(Member, Member, false, 1)), "forbidden");
        assert_eq!(code(may_remove(Member, Member, true, 1)), "ok", "but may leave");
    }

    #[test]
    fn admins_cannot_create_demote_or_remove_owners() {
        assert_eq!(code(may_invite(Admin, Admin)), "ok");
        assert_eq!(code(may_invite(Admin, Owner)), "forbidden");
        assert_eq!(code(may_change_role(Admin, Member, Owner, 1)), "forbidden");
        assert_eq!(code(may_change_role(Admin, Owner, Admin, 2)), "forbidden");
        assert_eq!(code(may_remove(Admin, Owner, false, 2)), "forbidden");
        assert_eq!(code(may_change_role(Admin, Member, Admin, 1)), "ok");
    }

    #[test]
    fn the_last_owner_stays() {
        assert_eq!(code(may_change_role(Owner, Owner, Admin, 1)), "last-owner");
        assert_eq!(code(may_remove(Owner, Owner, true, 1)), "last-owner");
        assert_eq!(code(may_change_role(Owner, Owner, Admin, 2)), "ok");
        assert_eq!(code(may_invite(Owner, Owner)), "ok");
    }
}
