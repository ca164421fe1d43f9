-- Certificates the gateway holds for its users (issue 6): the GAL's user certificates with their
-- private keys wrapped by the key vault (AES-256-GCM under the KEK of keys.kek_file, never a
-- plaintext key), each user's installed certificates of contacts, and the audit log that the
-- directory services and the admin API append to.

CREATE TABLE user_certificates (
  id          bigserial PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  der         bytea NOT NULL,
  thumbprint  text NOT NULL CHECK (thumbprint ~ '^[0-9A-F]{40}$'),   -- SHA-1 of der, upper hex
  usage       text NOT NULL CHECK (usage IN ('sign', 'encrypt', 'both')),
  not_before  timestamptz NOT NULL,
  not_after   timestamptz NOT NULL,
  source      text NOT NULL CHECK (source IN ('import', 'pkcs12', 'ldap', 'harvested')),
  forced      boolean NOT NULL DEFAULT false,   -- imported despite a trust failure (--force)
  enabled     boolean NOT NULL DEFAULT true,
  wrapped_key bytea,                            -- key vault ciphertext of the PKCS#8 key
  kek_id      text,                             -- id of the KEK that wrapped it
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, thumbprint),
  CHECK ((wrapped_key IS NULL) = (kek_id IS NULL))
);
CREATE INDEX user_certificates_kek ON user_certificates (kek_id) WHERE kek_id IS NOT NULL;

-- Contacts' certificates installed for one of our users (the device-keychain analogue).
CREATE TABLE installed_certificates (
  id            bigserial PRIMARY KEY,
  owner_user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  address       text NOT NULL CHECK (address = lower(address)),
  der           bytea NOT NULL,
  thumbprint    text NOT NULL CHECK (thumbprint ~ '^[0-9A-F]{40}$'),
  not_after     timestamptz NOT NULL,
  source        text NOT NULL CHECK (source IN ('manual', 'sync', 'harvested')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (owner_user_id, thumbprint)
);
CREATE INDEX installed_certificates_contact ON installed_certificates (owner_user_id, address);

-- Who did what to which object. detail never holds key material or passwords.
CREATE TABLE audit_log (
  id      bigserial PRIMARY KEY,
  at      timestamptz NOT NULL DEFAULT now(),
  actor   text NOT NULL,
  action  text NOT NULL,
  subject text NOT NULL DEFAULT '',
  detail  jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at);
