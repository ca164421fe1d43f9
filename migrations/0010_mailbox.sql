-- Mailbox folders, soft removal and the change feed behind the Graph-style delta sync
-- (docs/mailbox.md, include/smimegw/mailbox/mailbox_store.hpp).
--
-- mailbox_changes is a *compacted* change feed: one row per (message, mailbox, folder) holding that
-- entry's latest change (seq) and its first one (created_seq). A trigger on mailbox_messages keeps it,
-- so no writer has to remember it (the transport's local delivery INSERTs as before). Every feed
-- writer takes a per-mailbox transaction advisory lock before it draws its seq, so within a mailbox
-- seq order is commit order: a reader that has seen seq N has seen every change below N that will
-- ever commit, and a cursor "last seq seen" never skips a late-committing change.

ALTER TABLE mailbox_messages
  ADD COLUMN folder     text NOT NULL DEFAULT 'inbox' CHECK (folder IN ('inbox', 'sentitems')),
  ADD COLUMN removed_at timestamptz;   -- soft removal; rows removed long ago are purged

CREATE SEQUENCE mailbox_change_seq;

CREATE TABLE mailbox_changes (
  message_id  bigint NOT NULL,          -- mailbox_messages.id; no FK: outlives a purged row
  mailbox     text NOT NULL,
  folder      text NOT NULL,
  seq         bigint NOT NULL,          -- the latest change
  created_seq bigint NOT NULL,          -- the first change (delivery into this folder)
  removed     boolean NOT NULL DEFAULT false,
  changed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (message_id, mailbox, folder)
);
-- the delta query: WHERE mailbox = $1 AND folder = $2 AND seq > $3 ORDER BY seq LIMIT $4
CREATE UNIQUE INDEX mailbox_changes_feed ON mailbox_changes (mailbox, folder, seq);
-- pruning of old tombstones
CREATE INDEX mailbox_changes_tombstones ON mailbox_changes (changed_at) WHERE removed;
-- message listing and purge
CREATE INDEX mailbox_messages_removed ON mailbox_messages (removed_at) WHERE removed_at IS NOT NULL;

-- Rows delivered before this migration enter the feed in id order.
INSERT INTO mailbox_changes (message_id, mailbox, folder, seq, created_seq)
  SELECT id, mailbox, folder, row_number() OVER (ORDER BY id), row_number() OVER (ORDER BY id)
  FROM mailbox_messages;
SELECT setval('mailbox_change_seq', greatest((SELECT count(*) FROM mailbox_messages), 1),
              (SELECT count(*) > 0 FROM mailbox_messages));

-- Lock class 1835167608 ('mbox'): two-key advisory locks never collide with the one-key lock of
-- the migration runner.
CREATE FUNCTION mailbox_feed_lock(box text) RETURNS void LANGUAGE sql AS
  $$ SELECT pg_advisory_xact_lock(1835167608, hashtext(box)) $$;

-- Marks (message, mailbox, folder) removed with a fresh seq (no-op when it is already removed).
CREATE FUNCTION mailbox_feed_remove(msg bigint, box text, fold text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM mailbox_feed_lock(box);
  UPDATE mailbox_changes
     SET seq = nextval('mailbox_change_seq'), removed = true, changed_at = now()
   WHERE message_id = msg AND mailbox = box AND folder = fold AND NOT removed;
END $$;

CREATE FUNCTION mailbox_record_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  s bigint;
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.removed_at IS NULL THEN   -- purging a soft-removed row changes nothing visible
      PERFORM mailbox_feed_remove(OLD.id, OLD.mailbox, OLD.folder);
    END IF;
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE' AND (OLD.mailbox <> NEW.mailbox OR OLD.folder <> NEW.folder) THEN
    PERFORM mailbox_feed_remove(OLD.id, OLD.mailbox, OLD.folder);   -- moved out of there
  END IF;
  PERFORM mailbox_feed_lock(NEW.mailbox);
  s := nextval('mailbox_change_seq');
  INSERT INTO mailbox_changes (message_id, mailbox, folder, seq, created_seq, removed)
  VALUES (NEW.id, NEW.mailbox, NEW.folder, s, s, NEW.removed_at IS NOT NULL)
  ON CONFLICT (message_id, mailbox, folder) DO UPDATE
    SET seq = EXCLUDED.seq, removed = EXCLUDED.removed, changed_at = now();
  RETURN NEW;
END $$;

CREATE TRIGGER mailbox_messages_insert AFTER INSERT ON mailbox_messages
  FOR EACH ROW EXECUTE FUNCTION mailbox_record_change();
-- Only changes a client can see bump the feed (not e.g. queue_recipient_id set to NULL when the
-- queue row is cleaned up).
CREATE TRIGGER mailbox_messages_update AFTER UPDATE ON mailbox_messages
  FOR EACH ROW
  WHEN (OLD.mailbox IS DISTINCT FROM NEW.mailbox OR OLD.folder IS DISTINCT FROM NEW.folder
        OR OLD.removed_at IS DISTINCT FROM NEW.removed_at OR OLD.body IS DISTINCT FROM NEW.body)
  EXECUTE FUNCTION mailbox_record_change();
CREATE TRIGGER mailbox_messages_delete AFTER DELETE ON mailbox_messages
  FOR EACH ROW EXECUTE FUNCTION mailbox_record_change();
