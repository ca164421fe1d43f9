-- Distribution groups (directory issue): a group has its own address; its members are users,
-- other groups (nesting; cycles are allowed in the data and reported by expansion) or external
-- addresses. An address belongs to exactly one of: a user's primary address, a user's proxy
-- address, a group. The trigger below enforces that across the three tables (each table's own
-- UNIQUE key covers duplicates inside it); an advisory lock on the address serialises concurrent
-- inserts of the same address into different tables.

CREATE TABLE groups (
  id            bigserial PRIMARY KEY,
  address       text NOT NULL UNIQUE CHECK (address = lower(address)),
  display_name  text NOT NULL DEFAULT '',
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE group_members (
  id               bigserial PRIMARY KEY,
  group_id         bigint NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
  member_user_id   bigint REFERENCES users(id) ON DELETE CASCADE,
  member_group_id  bigint REFERENCES groups(id) ON DELETE CASCADE,
  external_address text CHECK (external_address = lower(external_address)),
  CHECK (num_nonnulls(member_user_id, member_group_id, external_address) = 1)
);
CREATE UNIQUE INDEX group_members_user ON group_members (group_id, member_user_id)
  WHERE member_user_id IS NOT NULL;
CREATE UNIQUE INDEX group_members_group ON group_members (group_id, member_group_id)
  WHERE member_group_id IS NOT NULL;
CREATE UNIQUE INDEX group_members_external ON group_members (group_id, external_address)
  WHERE external_address IS NOT NULL;
-- expansion walks group → member groups (recursive CTE) and then reads every member of the groups
-- reached: both by group_id.
CREATE INDEX group_members_by_group ON group_members (group_id);

CREATE FUNCTION directory_address_unique() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('address:' || NEW.address));
  IF (TG_TABLE_NAME <> 'users' AND EXISTS (SELECT 1 FROM users WHERE address = NEW.address))
     OR (TG_TABLE_NAME <> 'user_addresses'
         AND EXISTS (SELECT 1 FROM user_addresses WHERE address = NEW.address))
     OR (TG_TABLE_NAME <> 'groups' AND EXISTS (SELECT 1 FROM groups WHERE address = NEW.address))
  THEN
    RAISE EXCEPTION 'address % is already in use', NEW.address USING ERRCODE = 'unique_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER users_address_unique BEFORE INSERT OR UPDATE OF address ON users
  FOR EACH ROW EXECUTE FUNCTION directory_address_unique();
CREATE TRIGGER user_addresses_address_unique BEFORE INSERT OR UPDATE OF address ON user_addresses
  FOR EACH ROW EXECUTE FUNCTION directory_address_unique();
CREATE TRIGGER groups_address_unique BEFORE INSERT OR UPDATE OF address ON groups
  FOR EACH ROW EXECUTE FUNCTION directory_address_unique();
