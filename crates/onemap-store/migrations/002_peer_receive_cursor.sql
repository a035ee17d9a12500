-- How far each peer's log has been read: committed in the same transaction as the ops
-- applied from it, so a pull resumes exactly where the last committed one ended.
ALTER TABLE peers ADD COLUMN recv_lseq INTEGER NOT NULL DEFAULT 0;
