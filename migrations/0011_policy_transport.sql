-- Policy in transport (docs/transport-policy.md): the plan the intake decided before 250, the
-- message trace, the organisation's gateway key, and what local delivery records about S/MIME.

-- The plan made before 250 (policy decision, chosen certificates). NULL: deliver the bytes as
-- received (inbound mail, DSNs, submissions that need no processing).
ALTER TABLE queue_messages
  ADD COLUMN plan     jsonb,
  ADD COLUMN label_id text;          -- the sensitivity label the message carries (lower-case GUID)

-- Every decision about a message, in order (smimegw trace QUEUE_ID). No message content, no keys.
CREATE TABLE message_trace (
  id        bigserial PRIMARY KEY,
  queue_id  text NOT NULL,
  at        timestamptz NOT NULL DEFAULT now(),
  stage     text NOT NULL,            -- intake | outbound | inbound | delivery
  event     text NOT NULL,
  recipient text NOT NULL DEFAULT '',
  detail    jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX message_trace_queue_id ON message_trace (queue_id, id);
CREATE INDEX message_trace_at ON message_trace (at);

-- The organisation's gateway key: every protected message is also encrypted to it, so the gateway
-- can decrypt for authorised users on fetch. The private key is wrapped by the key vault exactly
-- like a user's (AAD bound to the thumbprint). One active key; retired keys stay for old mail.
CREATE TABLE gateway_keys (
  id          bigserial PRIMARY KEY,
  der         bytea NOT NULL,
  thumbprint  text NOT NULL UNIQUE,
  not_after   timestamptz NOT NULL,
  key_ciphertext bytea NOT NULL,
  kek_id      text NOT NULL,
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX gateway_keys_one_active ON gateway_keys (active) WHERE active;

-- Local delivery: the S/MIME result of inbound processing and the label, for the sync API.
ALTER TABLE mailbox_messages
  ADD COLUMN smime    jsonb,                      -- {signed, signatureStatus, signer, ...}
  ADD COLUMN label_id text,
  ADD COLUMN sealed   boolean NOT NULL DEFAULT false;  -- body is CMS AES-256-GCM to the gateway
                                                       -- key and the owner (unseal on fetch)

-- A reply inherits the label of the message it answers (found by Message-ID).
CREATE INDEX queue_messages_labelled ON queue_messages (message_id) WHERE label_id IS NOT NULL;
CREATE INDEX mailbox_messages_labelled ON mailbox_messages (message_id) WHERE label_id IS NOT NULL;
