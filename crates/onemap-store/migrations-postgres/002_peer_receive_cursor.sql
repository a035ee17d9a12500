-- How far each peer's log has been read (see the SQLite migration of the same name).
ALTER TABLE peers ADD COLUMN recv_lseq BIGINT NOT NULL DEFAULT 0;
