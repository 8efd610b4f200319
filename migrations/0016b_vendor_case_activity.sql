-- The vendor's side and the officers' review of vendor cases (issue 9, parts 4, 5 and 7): news on a case (a claim,
-- a review, a message, a re-test, a verified fix) reaches the other side through the notification outbox under
-- its own purpose, and so do the reminders before a case's response deadline.
-- Every purpose there is must be listed here (the last list was in 0012_devices.sql).
ALTER TABLE notifications DROP CONSTRAINT ck_notifications_purpose;
ALTER TABLE notifications ADD CONSTRAINT ck_notifications_purpose
    CHECK (purpose IN ('Published', 'Amended', 'Reminder', 'Escalation', 'VendorCase', 'DeviceFlagged', 'ExemptionExpired',
                       'CaseActivity', 'CaseDeadline'));

-- Reminder rounds before a case's response deadline: one row per case and round, inserted in the same transaction
-- as the reminders it sends, so a round runs once however many instances look.
CREATE TABLE vendor_case_reminders (
    case_id uuid NOT NULL,
    days_before integer NOT NULL,
    ran_at timestamp with time zone NOT NULL,
    notifications integer NOT NULL,
    CONSTRAINT pk_vendor_case_reminders PRIMARY KEY (case_id, days_before),
    CONSTRAINT fk_vendor_case_reminders_vendor_cases_case_id FOREIGN KEY (case_id) REFERENCES vendor_cases (id) ON DELETE CASCADE
);
