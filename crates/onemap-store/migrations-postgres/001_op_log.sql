-- The op log and its projections on PostgreSQL: the same tables and meaning as the SQLite
-- schema (migrations/001_op_log.sql), in PostgreSQL types.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE nodes (
    id       BIGSERIAL PRIMARY KEY,
    node     UUID   NOT NULL UNIQUE,
    applied  BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE parked (
    origin  BIGINT NOT NULL REFERENCES nodes (id),
    seq     BIGINT NOT NULL,
    op      TEXT   NOT NULL,
    PRIMARY KEY (origin, seq)
);

CREATE TABLE ops (
    lseq    BIGSERIAL PRIMARY KEY,
    origin  BIGINT NOT NULL REFERENCES nodes (id),
    seq     BIGINT NOT NULL CHECK (seq >= 1),
    hlc     BIGINT NOT NULL,
    actor   TEXT   NOT NULL,
    kind    TEXT   NOT NULL,
    entity  UUID   NOT NULL,
    change  TEXT   NOT NULL,
    intent  TEXT   NOT NULL
);

CREATE TABLE entities (
    kind     TEXT   NOT NULL,
    id       UUID   NOT NULL,
    doc      TEXT   NOT NULL,
    stamps   TEXT   NOT NULL,
    balances TEXT   NOT NULL,
    lseq     BIGINT NOT NULL,
    PRIMARY KEY (kind, id)
);

CREATE TABLE events (
    lseq   BIGINT PRIMARY KEY REFERENCES ops (lseq),
    kind   TEXT   NOT NULL,
    id     UUID   NOT NULL,
    event  TEXT   NOT NULL
);
CREATE INDEX events_entity ON events (kind, id);

CREATE TABLE peers (
    peer       TEXT   PRIMARY KEY,
    sent_lseq  BIGINT NOT NULL DEFAULT 0,
    heard_at   BIGINT
);
