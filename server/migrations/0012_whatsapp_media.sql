-- Files customers send over WhatsApp (images, audio, video, documents, stickers), fetched from
-- Meta by a job after the message arrives and served only to the organisation's members.
CREATE TABLE whatsapp_media (
    org_id     TEXT NOT NULL,
    message_id TEXT NOT NULL,
    mime_type  TEXT NOT NULL,
    filename   TEXT,
    sha256     TEXT NOT NULL,
    bytes      BLOB NOT NULL,
    stored_at  INTEGER NOT NULL,
    PRIMARY KEY (org_id, message_id)
);
