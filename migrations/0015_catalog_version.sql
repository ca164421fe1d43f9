-- The label catalog's own version: labels, label policies, their published labels and their
-- assignments. The admin API sends it as the ETag of catalog reads and checks it on writes
-- (If-Match), and single-entry edits replace the catalog only if nobody changed it since they read
-- it. policy_generation (0007) also moves with the S/MIME settings, which users change themselves,
-- so it cannot serve: an administrator's edit would fail whenever a user flipped sign-all.
CREATE TABLE catalog_version (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version   bigint NOT NULL
);
INSERT INTO catalog_version (singleton, version) VALUES (true, 1);

CREATE FUNCTION catalog_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE catalog_version SET version = version + 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER labels_version AFTER INSERT OR UPDATE OR DELETE ON labels
  FOR EACH STATEMENT EXECUTE FUNCTION catalog_bump_version();
CREATE TRIGGER label_policies_version AFTER INSERT OR UPDATE OR DELETE ON label_policies
  FOR EACH STATEMENT EXECUTE FUNCTION catalog_bump_version();
CREATE TRIGGER label_policy_labels_version AFTER INSERT OR UPDATE OR DELETE ON label_policy_labels
  FOR EACH STATEMENT EXECUTE FUNCTION catalog_bump_version();
CREATE TRIGGER label_policy_assignments_version
  AFTER INSERT OR UPDATE OR DELETE ON label_policy_assignments
  FOR EACH STATEMENT EXECUTE FUNCTION catalog_bump_version();
