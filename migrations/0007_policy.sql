-- Sensitivity labels, label policies and S/MIME settings (issue 7; include/smimegw/policy/).
-- The catalog (labels + policies) is replaced as a whole by `smimegw labels import`; priorities
-- are unique (higher = more sensitive label / winning policy). Policies are assigned to users and
-- groups by address (no foreign key: an assignment may name a group created later).
-- policy_generation is a single row bumped by statement triggers on every change of these tables,
-- so the transport's catalog cache (in every gateway instance) can tell it is stale; the trigger
-- also sends NOTIFY policy_changed.

CREATE TABLE labels (
  id                  uuid PRIMARY KEY,
  name                text NOT NULL CHECK (name <> '' AND name !~ '[;=[:cntrl:]]'),
  display_name        text NOT NULL CHECK (display_name <> ''),
  priority            integer NOT NULL UNIQUE CHECK (priority >= 0),
  header_template     text NOT NULL DEFAULT '',
  footer_template     text NOT NULL DEFAULT '',
  protection          text NOT NULL DEFAULT 'none' CHECK (protection IN ('none', 'encrypt')),
  rights              text[] NOT NULL,   -- view, edit, print, copy, forward, reply, reply-all
  internal_only       boolean NOT NULL DEFAULT false,
  domains             text[] NOT NULL DEFAULT '{}',   -- lower-case; empty = any
  content_expiry_days integer NOT NULL DEFAULT 0 CHECK (content_expiry_days >= 0),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CHECK (NOT (internal_only AND cardinality(domains) > 0))
);
CREATE UNIQUE INDEX labels_name ON labels (lower(name));

CREATE TABLE label_policies (
  id            bigserial PRIMARY KEY,
  name          text NOT NULL CHECK (name <> ''),
  priority      integer NOT NULL UNIQUE,
  all_users     boolean NOT NULL DEFAULT false,
  default_label uuid REFERENCES labels(id) ON DELETE SET NULL,
  mandatory     boolean NOT NULL DEFAULT false,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX label_policies_name ON label_policies (lower(name));

-- The labels a policy publishes (position keeps the file's order for listings).
CREATE TABLE label_policy_labels (
  policy_id bigint NOT NULL REFERENCES label_policies(id) ON DELETE CASCADE,
  label_id  uuid NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
  position  integer NOT NULL,
  PRIMARY KEY (policy_id, label_id)
);

CREATE TABLE label_policy_assignments (
  policy_id bigint NOT NULL REFERENCES label_policies(id) ON DELETE CASCADE,
  kind      text NOT NULL CHECK (kind IN ('user', 'group')),
  address   text NOT NULL CHECK (address = lower(address)),
  PRIMARY KEY (policy_id, kind, address)
);
-- "which policies apply to this sender" looks up by address
CREATE INDEX label_policy_assignments_address ON label_policy_assignments (address);

-- The organisation's S/MIME settings (Set-SmimeConfig): exactly one row; version is bumped by
-- every save (optimistic concurrency for PATCH).
CREATE TABLE smime_settings (
  singleton                       boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version                         bigint NOT NULL DEFAULT 1,
  always_sign                     boolean NOT NULL DEFAULT false,
  always_encrypt                  boolean NOT NULL DEFAULT false,
  encryption_algorithm            text NOT NULL DEFAULT 'AES-256-CBC'
    CHECK (encryption_algorithm IN ('AES-256-CBC', 'AES-128-CBC', 'AES-256-GCM', 'AES-128-GCM')),
  signing_algorithm               text NOT NULL DEFAULT 'SHA-256'
    CHECK (signing_algorithm IN ('SHA-256', 'SHA-384', 'SHA-512')),
  include_chain                   text NOT NULL DEFAULT 'withoutRoot'
    CHECK (include_chain IN ('none', 'withoutRoot', 'withRoot')),
  check_crl_on_send               boolean NOT NULL DEFAULT true,
  crl_connection_timeout_ms       integer NOT NULL DEFAULT 60000
    CHECK (crl_connection_timeout_ms BETWEEN 1 AND 600000),
  crl_retrieval_timeout_ms        integer NOT NULL DEFAULT 10000
    CHECK (crl_retrieval_timeout_ms BETWEEN 1 AND 600000),
  dl_expansion_timeout_ms         integer NOT NULL DEFAULT 60000
    CHECK (dl_expansion_timeout_ms BETWEEN 1 AND 600000),
  one_copy_per_bcc                boolean NOT NULL DEFAULT true,
  sign_all_default                boolean NOT NULL DEFAULT false,
  sign_all_user_change_allowed    boolean NOT NULL DEFAULT true,
  encrypt_all_default             boolean NOT NULL DEFAULT false,
  encrypt_all_user_change_allowed boolean NOT NULL DEFAULT true,
  updated_at                      timestamptz NOT NULL DEFAULT now()
);
INSERT INTO smime_settings DEFAULT VALUES;

-- A user's own choices (the sync API's /me/settings); NULL = follow the organisation default.
CREATE TABLE user_smime_settings (
  user_id       bigint PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  smime_enabled boolean NOT NULL DEFAULT true,
  sign_all      boolean,
  encrypt_all   boolean,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE policy_generation (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  generation bigint NOT NULL
);
INSERT INTO policy_generation (singleton, generation) VALUES (true, 1);

CREATE FUNCTION policy_bump_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE policy_generation SET generation = generation + 1;
  PERFORM pg_notify('policy_changed', TG_TABLE_NAME);
  RETURN NULL;
END
$$;

CREATE TRIGGER labels_changed AFTER INSERT OR UPDATE OR DELETE ON labels
  FOR EACH STATEMENT EXECUTE FUNCTION policy_bump_generation();
CREATE TRIGGER label_policies_changed AFTER INSERT OR UPDATE OR DELETE ON label_policies
  FOR EACH STATEMENT EXECUTE FUNCTION policy_bump_generation();
CREATE TRIGGER label_policy_labels_changed AFTER INSERT OR UPDATE OR DELETE ON label_policy_labels
  FOR EACH STATEMENT EXECUTE FUNCTION policy_bump_generation();
CREATE TRIGGER label_policy_assignments_changed
  AFTER INSERT OR UPDATE OR DELETE ON label_policy_assignments
  FOR EACH STATEMENT EXECUTE FUNCTION policy_bump_generation();
CREATE TRIGGER smime_settings_changed AFTER INSERT OR UPDATE OR DELETE ON smime_settings
  FOR EACH STATEMENT EXECUTE FUNCTION policy_bump_generation();
CREATE TRIGGER user_smime_settings_changed AFTER INSERT OR UPDATE OR DELETE ON user_smime_settings
  FOR EACH STATEMENT EXECUTE FUNCTION policy_bump_generation();
