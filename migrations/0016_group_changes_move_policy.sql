-- Label policies may be assigned to groups (0007), and every gateway instance caches who is in
-- those groups with the catalog, reloading when policy_generation moves. Group membership lives
-- in the directory tables (0006), which did not move it: a user added to (or removed from) a
-- group kept the old label policy until the catalog itself changed. These statement triggers bump
-- the generation (and notify) on every change of groups and members, and when a user's address
-- changes (expansion lists members by primary address). The catalog version (0015) stays: the
-- catalog did not change.
CREATE TRIGGER groups_move_policy AFTER INSERT OR UPDATE OR DELETE ON groups
  FOR EACH STATEMENT EXECUTE FUNCTION policy_bump_generation();
CREATE TRIGGER group_members_move_policy AFTER INSERT OR UPDATE OR DELETE ON group_members
  FOR EACH STATEMENT EXECUTE FUNCTION policy_bump_generation();
CREATE TRIGGER users_address_move_policy AFTER UPDATE OF address ON users
  FOR EACH STATEMENT EXECUTE FUNCTION policy_bump_generation();
