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

-- Joining a vendor organisation: a person with a vendor account asks, the organisation's administrator answers;
-- pending requests expire after 30 days and are escalated (once: escalated_at) after 3 days unanswered.
CREATE TABLE vendor_membership_requests (
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    vendor_organisation_id uuid NOT NULL,
    note character varying(1000),
    state character varying(20) NOT NULL,
    requested_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    escalated_at timestamp with time zone,
    decided_by_id uuid,
    decided_at timestamp with time zone,
    CONSTRAINT ck_vendor_membership_requests_state CHECK (state IN ('Pending', 'Approved', 'Refused', 'Expired')),
    CONSTRAINT pk_vendor_membership_requests PRIMARY KEY (id),
    CONSTRAINT fk_vendor_membership_requests_users_decided_by_id FOREIGN KEY (decided_by_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT fk_vendor_membership_requests_users_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT fk_vendor_membership_requests_vendor_organisations_vendor_orga FOREIGN KEY (vendor_organisation_id) REFERENCES vendor_organisations (id) ON DELETE RESTRICT
);

CREATE INDEX ix_vendor_membership_requests_decided_by_id ON vendor_membership_requests (decided_by_id);
CREATE INDEX ix_vendor_membership_requests_vendor_organisation_id_state ON vendor_membership_requests (vendor_organisation_id, state);
CREATE UNIQUE INDEX ix_vendor_membership_requests_one_pending ON vendor_membership_requests (user_id) WHERE state = 'Pending';
