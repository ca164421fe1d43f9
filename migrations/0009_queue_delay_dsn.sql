-- Delay DSNs (RFC 3464 action=delayed): a recipient still pending after queue.delay_dsn_after_s
-- gets one, recorded as dsn_state 'delay_sent' so it is never sent twice (a later failure moves the
-- state on to 'due' for the failure DSN). Success DSNs reuse 'due' on delivered recipients.
ALTER TABLE queue_recipients DROP CONSTRAINT queue_recipients_dsn_state_check;
ALTER TABLE queue_recipients ADD CONSTRAINT queue_recipients_dsn_state_check
  CHECK (dsn_state IN ('none', 'due', 'sent', 'suppressed', 'delay_sent'));
