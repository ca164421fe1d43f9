-- Mobile devices enrolled through the sync API (POST /v1.0/me/devices, issue 8 item 3): the
-- automated delivery of a user's keys as PKCS#12. A device is the user's own (deleted with the
-- user); device_id is the client's identifier, unique per user. No password or key material is
-- stored here: every delivery is encrypted under the password the client sends with the request.
CREATE TABLE sync_devices (
  id               bigserial PRIMARY KEY,
  user_id          bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  device_id        text NOT NULL CHECK (length(device_id) BETWEEN 1 AND 128),
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 128),
  created_at       timestamptz NOT NULL DEFAULT now(),
  last_delivery_at timestamptz,
  deliveries       integer NOT NULL DEFAULT 0,
  UNIQUE (user_id, device_id)
);

-- A contact's certificate the user trusted although its CA is unknown (installSenderCertificate
-- with trust: true, allowed by sync.allow_user_trusted_certificates).
ALTER TABLE installed_certificates DROP CONSTRAINT installed_certificates_source_check;
ALTER TABLE installed_certificates ADD CONSTRAINT installed_certificates_source_check
  CHECK (source IN ('manual', 'sync', 'harvested', 'user_trusted'));
