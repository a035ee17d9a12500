-- A peer's cursor is kept by the reader (recv_lseq); the sender-side columns were never used.
ALTER TABLE peers DROP COLUMN sent_lseq;
ALTER TABLE peers DROP COLUMN heard_at;
