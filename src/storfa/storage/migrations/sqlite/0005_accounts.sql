-- Accounts and access: organisations, users with one role each, server-side
-- sessions (so disabling a user ends them), API tokens, each review's access
-- level and the organisations a restricted review is shared with, saved
-- searches, and failed logins for rate limiting.
-- Secrets are stored only as hashes: Argon2id for passwords, SHA-256 for
-- session and API tokens (high-entropy random values need no slow hash).

CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    board       TEXT,
    created_at  TEXT NOT NULL
);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    role            TEXT NOT NULL
                    CHECK (role IN ('administrator', 'editor', 'coder', 'reader')),
    organisation_id INTEGER REFERENCES organisations(id),
    disabled        INTEGER NOT NULL DEFAULT 0,
    totp_secret     TEXT,
    language        TEXT,
    created_at      TEXT NOT NULL
);

CREATE TABLE user_sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token  TEXT NOT NULL,
    second_factor INTEGER NOT NULL DEFAULT 0,
    address     TEXT,
    created_at  TEXT NOT NULL,
    last_seen   TEXT NOT NULL
);
CREATE INDEX user_sessions_user ON user_sessions(user_id);

CREATE TABLE api_tokens (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    last_used   TEXT,
    revoked     INTEGER NOT NULL DEFAULT 0
);

-- A review without a row here is public.
CREATE TABLE review_access (
    review_id   INTEGER PRIMARY KEY REFERENCES reviews(id) ON DELETE CASCADE,
    level       TEXT NOT NULL
                CHECK (level IN ('public', 'registered', 'restricted', 'draft')),
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE review_access_orgs (
    review_id       INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    PRIMARY KEY (review_id, organisation_id)
);

CREATE TABLE saved_searches (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    query       TEXT NOT NULL,
    params      TEXT NOT NULL DEFAULT '{}',
    created_at  TEXT NOT NULL
);

CREATE TABLE login_failures (
    id      INTEGER PRIMARY KEY,
    key     TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(key, at);
