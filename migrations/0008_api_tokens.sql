-- API bearer tokens (issue 8). Only the SHA-256 of a token is stored (hex); the token itself is
-- printed once by `smimegw admin token create` (or returned once by the sync API's token grant).
-- kind 'admin' authenticates /admin/v1; kind 'sync' is the sync API's per-user token (user_id,
-- expires_at). A token is active while revoked_at is NULL and expires_at is NULL or in the future.
CREATE TABLE api_tokens (
  id           bigserial PRIMARY KEY,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 128),
  kind         text NOT NULL CHECK (kind IN ('admin', 'sync')),
  hash         text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$'),
  user_id      bigint REFERENCES users(id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  expires_at   timestamptz,
  revoked_at   timestamptz,
  CHECK (kind = 'sync' OR user_id IS NULL)
);
-- Names identify admin tokens for `admin token revoke NAME`: unique among the active ones.
CREATE UNIQUE INDEX api_tokens_active_name ON api_tokens (kind, name) WHERE revoked_at IS NULL;
CREATE INDEX api_tokens_user ON api_tokens (user_id) WHERE user_id IS NOT NULL;
