-- A vendor's answer to a case and the officers' review of it: statements, remediation claims (with the vendor's
-- files, held in the evidence store under their SHA-256), the case's message thread, and one event row per thing
-- that happened on a case, which staleness compares with the circular's current revision.
-- The domain types are in src/Portal.Web/Domain/VendorResponse.cs.

CREATE TABLE vendor_case_statements (
    id uuid NOT NULL,
    case_id uuid NOT NULL,
    text character varying(8000) NOT NULL,
    is_public boolean NOT NULL,
    posted_by_id uuid NOT NULL,
    posted_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_vendor_case_statements PRIMARY KEY (id),
    CONSTRAINT fk_vendor_case_statements_users_posted_by_id FOREIGN KEY (posted_by_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT fk_vendor_case_statements_vendor_cases_case_id FOREIGN KEY (case_id) REFERENCES vendor_cases (id) ON DELETE RESTRICT
);

CREATE TABLE remediation_claims (
    id uuid NOT NULL,
    case_id uuid NOT NULL,
    device_model_id uuid NOT NULL,
    kind character varying(30) NOT NULL,
    description character varying(4000) NOT NULL,
    firmware_version character varying(100),
    released_on date,
    link character varying(2000),
    relocated_from character(2),
    relocated_to character(2),
    planned_on date,
    completed_on date,
    status character varying(30) NOT NULL,
    submitted_by_id uuid NOT NULL,
    submitted_at timestamp with time zone NOT NULL,
    reviewed_by_id uuid,
    reviewed_at timestamp with time zone,
    review_note character varying(4000),
    retest_evidence_id uuid,
    retest_recorded_by_id uuid,
    verified_by_id uuid,
    verified_at timestamp with time zone,
    CONSTRAINT ck_remediation_claims_kind CHECK (kind IN ('FirmwareUpdate', 'ServiceChange', 'DataRelocation', 'AppOrPermissionChange')),
    CONSTRAINT ck_remediation_claims_status CHECK (status IN ('Submitted', 'InformationRequested', 'PendingVerification', 'Rejected', 'Verified')),
    CONSTRAINT ck_remediation_claims_countries CHECK ((relocated_from IS NULL OR relocated_from ~ '^[A-Z]{2}$') AND (relocated_to IS NULL OR relocated_to ~ '^[A-Z]{2}$')),
    CONSTRAINT ck_remediation_claims_verified CHECK ((status = 'Verified') = (verified_at IS NOT NULL) AND (verified_at IS NULL) = (verified_by_id IS NULL)),
    CONSTRAINT ck_remediation_claims_four_eyes CHECK (verified_by_id IS NULL OR (retest_evidence_id IS NOT NULL AND verified_by_id <> retest_recorded_by_id)),
    CONSTRAINT pk_remediation_claims PRIMARY KEY (id),
    CONSTRAINT fk_remediation_claims_device_models_device_model_id FOREIGN KEY (device_model_id) REFERENCES device_models (id) ON DELETE RESTRICT,
    CONSTRAINT fk_remediation_claims_evidence_retest_evidence_id FOREIGN KEY (retest_evidence_id) REFERENCES evidence (id) ON DELETE RESTRICT,
    CONSTRAINT fk_remediation_claims_users_retest_recorded_by_id FOREIGN KEY (retest_recorded_by_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT fk_remediation_claims_users_reviewed_by_id FOREIGN KEY (reviewed_by_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT fk_remediation_claims_users_submitted_by_id FOREIGN KEY (submitted_by_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT fk_remediation_claims_users_verified_by_id FOREIGN KEY (verified_by_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT fk_remediation_claims_vendor_cases_case_id FOREIGN KEY (case_id) REFERENCES vendor_cases (id) ON DELETE RESTRICT
);

CREATE TABLE remediation_claim_files (
    id uuid NOT NULL,
    claim_id uuid NOT NULL,
    file_name character varying(200) NOT NULL,
    sha256 character(64) NOT NULL,
    length bigint NOT NULL,
    content_type character varying(100) NOT NULL,
    uploaded_by_id uuid NOT NULL,
    uploaded_at timestamp with time zone NOT NULL,
    CONSTRAINT ck_remediation_claim_files_sha256 CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    CONSTRAINT ck_remediation_claim_files_length CHECK (length > 0),
    CONSTRAINT pk_remediation_claim_files PRIMARY KEY (id),
    CONSTRAINT fk_remediation_claim_files_remediation_claims_claim_id FOREIGN KEY (claim_id) REFERENCES remediation_claims (id) ON DELETE CASCADE,
    CONSTRAINT fk_remediation_claim_files_users_uploaded_by_id FOREIGN KEY (uploaded_by_id) REFERENCES users (id) ON DELETE RESTRICT
);

CREATE TABLE vendor_case_messages (
    id uuid NOT NULL,
    case_id uuid NOT NULL,
    author_id uuid NOT NULL,
    from_vendor boolean NOT NULL,
    body character varying(8000) NOT NULL,
    posted_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_vendor_case_messages PRIMARY KEY (id),
    CONSTRAINT fk_vendor_case_messages_users_author_id FOREIGN KEY (author_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT fk_vendor_case_messages_vendor_cases_case_id FOREIGN KEY (case_id) REFERENCES vendor_cases (id) ON DELETE RESTRICT
);

CREATE TABLE vendor_case_events (
    id uuid NOT NULL,
    case_id uuid NOT NULL,
    circular_id uuid NOT NULL,
    kind character varying(30) NOT NULL,
    subject_id uuid,
    by_id uuid NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    summary character varying(400) NOT NULL,
    makes_stale boolean NOT NULL,
    considered_in_revision integer,
    CONSTRAINT ck_vendor_case_events_kind CHECK (kind IN ('Statement', 'ModelStatusSet', 'ClaimSubmitted', 'ClaimReviewed', 'RetestRecorded', 'FixVerified', 'RelocationCompleted', 'Message')),
    CONSTRAINT pk_vendor_case_events PRIMARY KEY (id),
    CONSTRAINT fk_vendor_case_events_circulars_circular_id FOREIGN KEY (circular_id) REFERENCES circulars (id) ON DELETE RESTRICT,
    CONSTRAINT fk_vendor_case_events_users_by_id FOREIGN KEY (by_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT fk_vendor_case_events_vendor_cases_case_id FOREIGN KEY (case_id) REFERENCES vendor_cases (id) ON DELETE RESTRICT
);

CREATE UNIQUE INDEX ix_remediation_claim_files_claim_id_sha256 ON remediation_claim_files (claim_id, sha256);
CREATE INDEX ix_remediation_claim_files_uploaded_by_id ON remediation_claim_files (uploaded_by_id);
CREATE INDEX ix_remediation_claims_case_id ON remediation_claims (case_id);
CREATE INDEX ix_remediation_claims_device_model_id ON remediation_claims (device_model_id);
CREATE INDEX ix_remediation_claims_retest_evidence_id ON remediation_claims (retest_evidence_id);
CREATE INDEX ix_remediation_claims_retest_recorded_by_id ON remediation_claims (retest_recorded_by_id);
CREATE INDEX ix_remediation_claims_reviewed_by_id ON remediation_claims (reviewed_by_id);
CREATE INDEX ix_remediation_claims_submitted_by_id ON remediation_claims (submitted_by_id);
CREATE INDEX ix_remediation_claims_verified_by_id ON remediation_claims (verified_by_id);
CREATE INDEX ix_vendor_case_events_by_id ON vendor_case_events (by_id);
CREATE INDEX ix_vendor_case_events_case_id ON vendor_case_events (case_id);
CREATE INDEX ix_vendor_case_events_circular_id_occurred_at ON vendor_case_events (circular_id, occurred_at);
CREATE INDEX ix_vendor_case_messages_author_id ON vendor_case_messages (author_id);
CREATE INDEX ix_vendor_case_messages_case_id ON vendor_case_messages (case_id);
CREATE INDEX ix_vendor_case_statements_case_id ON vendor_case_statements (case_id);
CREATE INDEX ix_vendor_case_statements_posted_by_id ON vendor_case_statements (posted_by_id);

-- Open, undecided claims per case (the officers' review queue).
CREATE INDEX ix_remediation_claims_open ON remediation_claims (case_id) WHERE status IN ('Submitted', 'PendingVerification');
-- Events that make a circular stale and no amendment has considered yet.
CREATE INDEX ix_vendor_case_events_unconsidered ON vendor_case_events (circular_id) WHERE makes_stale AND considered_in_revision IS NULL;
