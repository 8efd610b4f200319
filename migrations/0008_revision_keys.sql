-- Acknowledgement requests and notifications name the revision they ask about or tell of, and now the
-- database holds them to it: publication writes the revision before fanning out (Features/Circulars/Publication.cs).
-- The referenced columns are covered by the unique index ix_circular_revisions_circular_id_number.
-- Notifications without a circular (circular_id NULL) are not checked (MATCH SIMPLE).
ALTER TABLE acknowledgement_requests
    ADD CONSTRAINT fk_acknowledgement_requests_circular_revisions_circular_id_revision_number
    FOREIGN KEY (circular_id, revision_number) REFERENCES circular_revisions (circular_id, number) ON DELETE RESTRICT;

ALTER TABLE notifications
    ADD CONSTRAINT fk_notifications_circular_revisions_circular_id_revision_number
    FOREIGN KEY (circular_id, revision_number) REFERENCES circular_revisions (circular_id, number) ON DELETE RESTRICT;
