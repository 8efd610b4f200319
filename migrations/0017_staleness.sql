-- Staleness and case data in CSAF (docs/decisions/0045-staleness-and-case-data-in-csaf.md).

-- What the vendor cases said when a revision was published: its CSAF document reads this, never the live cases,
-- so a published revision's document does not change.
CREATE TABLE revision_case_records (
    revision_id uuid NOT NULL,
    data jsonb NOT NULL,
    CONSTRAINT pk_revision_case_records PRIMARY KEY (revision_id),
    CONSTRAINT fk_revision_case_records_circular_revisions_revision_id FOREIGN KEY (revision_id) REFERENCES circular_revisions (id) ON DELETE RESTRICT
);

-- One row per day the stale-circulars digest ran (with or without messages): inserted in the round's transaction.
CREATE TABLE stale_digest_rounds (
    day date NOT NULL,
    ran_at timestamp with time zone NOT NULL,
    notifications integer NOT NULL,
    CONSTRAINT pk_stale_digest_rounds PRIMARY KEY (day)
);

-- The digest is a notification addressed to an officer (user_id), naming no circular.
ALTER TABLE notifications DROP CONSTRAINT ck_notifications_purpose;
ALTER TABLE notifications ADD CONSTRAINT ck_notifications_purpose
    CHECK (purpose IN ('Published', 'Amended', 'Reminder', 'Escalation', 'VendorCase', 'DeviceFlagged', 'ExemptionExpired',
                       'CaseActivity', 'CaseDeadline', 'StaleDigest'));
