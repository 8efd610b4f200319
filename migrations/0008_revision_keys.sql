-- Acknowledgement requests and notifications name the revision they ask about or tell of, and now the
-- database holds them to it: publication writes the revision before fanning out (Features/Circulars/Publication.cs).
-- The referenced columns are covered by the unique index ix_circular_revisions_circular_id_number.
-- Notifications without a circular (circular_id NULL) are not checked (MATCH SIMPLE).
-- EF indexes every foreign key by convention and offers no supported way to leave one out, so notifications
-- get the index too (acknowledgement_requests already has one that starts with these columns). Revisions
-- are never deleted, so no check needs it; it is kept for the model and schema to agree (decision 0016).
ALTER TABLE acknowledgement_requests
    ADD CONSTRAINT fk_acknowledgement_requests_revision
    FOREIGN KEY (circular_id, revision_number) REFERENCES circular_revisions (circular_id, number) ON DELETE RESTRICT;

ALTER TABLE notifications
    ADD CONSTRAINT fk_notifications_revision
    FOREIGN KEY (circular_id, revision_number) REFERENCES circular_revisions (circular_id, number) ON DELETE RESTRICT;

CREATE INDEX ix_notifications_circular_id_revision_number ON notifications (circular_id, revision_number);
