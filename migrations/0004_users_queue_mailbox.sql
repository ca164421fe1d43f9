-- Users (the minimum the transport needs; the directory issue extends this), the durable message
-- queue, and the local mailbox store. State machine of a queue recipient: see
-- include/smimegw/transport/queue_store.hpp.

CREATE TABLE users (
  id            bigserial PRIMARY KEY,
  address       text NOT NULL UNIQUE CHECK (address = lower(address)),
  display_name  text NOT NULL DEFAULT '',
  password_hash text NOT NULL DEFAULT '',   -- Argon2id PHC string; empty = no password login
  enabled       boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- Proxy addresses; a user's primary address is users.address. Unique across all users.
CREATE TABLE user_addresses (
  address  text PRIMARY KEY CHECK (address = lower(address)),
  user_id  bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE
);

CREATE TABLE queue_messages (
  id             bigserial PRIMARY KEY,
  queue_id       text NOT NULL UNIQUE,
  received_at    timestamptz NOT NULL DEFAULT now(),
  source         text NOT NULL CHECK (source IN ('inbound', 'submission', 'api', 'dsn')),
  mail_from      text NOT NULL,              -- '' for the null reverse-path
  auth_user      text,
  client_address text NOT NULL DEFAULT '',
  envid          text NOT NULL DEFAULT '',
  ret            text NOT NULL DEFAULT '',   -- '', 'FULL', 'HDRS'
  message_id     text NOT NULL DEFAULT '',   -- the Message-ID header, for tracing
  size_bytes     bigint NOT NULL,
  body           bytea NOT NULL
);

CREATE TABLE queue_recipients (
  id               bigserial PRIMARY KEY,
  message_id       bigint NOT NULL REFERENCES queue_messages(id) ON DELETE CASCADE,
  address          text NOT NULL,
  orcpt            text NOT NULL DEFAULT '',
  notify           integer NOT NULL DEFAULT 0,
  route            text NOT NULL CHECK (route IN ('local', 'relay')),
  state            text NOT NULL DEFAULT 'pending'
                   CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  lease_owner      text,
  lease_expires_at timestamptz,
  last_reply       text NOT NULL DEFAULT '',
  finished_at      timestamptz,
  dsn_state        text NOT NULL DEFAULT 'none' CHECK (dsn_state IN ('none', 'due', 'sent', 'suppressed'))
);
CREATE INDEX queue_recipients_due ON queue_recipients (next_attempt_at) WHERE state = 'pending';
CREATE INDEX queue_recipients_message ON queue_recipients (message_id);
CREATE INDEX queue_recipients_dsn_due ON queue_recipients (message_id) WHERE dsn_state = 'due';

-- Local mailboxes. One row per delivered recipient: queue_recipient_id is unique, so a delivery
-- retried after a crash can never store a second copy.
CREATE TABLE mailbox_messages (
  id                 bigserial PRIMARY KEY,
  mailbox            text NOT NULL CHECK (mailbox = lower(mailbox)),
  queue_recipient_id bigint UNIQUE REFERENCES queue_recipients(id) ON DELETE SET NULL,
  queue_id           text NOT NULL,
  received_at        timestamptz NOT NULL DEFAULT now(),
  message_id         text NOT NULL DEFAULT '',
  size_bytes         bigint NOT NULL,
  body               bytea NOT NULL
);
CREATE INDEX mailbox_messages_mailbox ON mailbox_messages (mailbox, id);
