-- A label policy assignment names a user or a group by its address (0007). When that user or
-- group is deleted, its assignments go with it: a user or group created later under the same
-- address must not inherit the old policy. The statement triggers of 0007 bump the policy
-- generation, so every gateway instance reloads its catalog.
CREATE FUNCTION directory_drop_assignments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM label_policy_assignments WHERE kind = TG_ARGV[0] AND address = OLD.address;
  RETURN OLD;
END $$;

CREATE TRIGGER groups_drop_assignments AFTER DELETE ON groups
  FOR EACH ROW EXECUTE FUNCTION directory_drop_assignments('group');
CREATE TRIGGER users_drop_assignments AFTER DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION directory_drop_assignments('user');
