-- Processed copies (docs/transport-policy.md, "Retries re-send the stored copy"): the signed and/or
-- encrypted bodies the outbound steps made for a message with a plan. A copy is stored when one of
-- its recipients is deferred, before the retry is recorded, so a retry only re-sends it: the CMS
-- work is done once per copy, whatever the number of attempts. A recipient names the copy it gets
-- (copy_id); NULL means "not processed yet" (a message with a plan is then processed again, never
-- delivered as queued). Copies go with their message.
CREATE TABLE queue_copies (
  id         bigserial PRIMARY KEY,
  message_id bigint NOT NULL REFERENCES queue_messages (id) ON DELETE CASCADE,
  body       bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX queue_copies_message_id ON queue_copies (message_id);

ALTER TABLE queue_recipients
  ADD COLUMN copy_id bigint REFERENCES queue_copies (id) ON DELETE SET NULL;
