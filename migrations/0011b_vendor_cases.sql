-- Vendor cases: one per circular and vendor organisation, opened at publication, with a status per named model.

CREATE TABLE vendor_cases (
    id uuid NOT NULL,
    circular_id uuid NOT NULL,
    vendor_organisation_id uuid NOT NULL,
    opened_at_revision integer NOT NULL,
    opened_at timestamp with time zone NOT NULL,
    response_due_on date NOT NULL,
    first_seen_at timestamp with time zone,
    first_seen_by_id uuid,
    CONSTRAINT pk_vendor_cases PRIMARY KEY (id),
    CONSTRAINT fk_vendor_cases_circulars_circular_id FOREIGN KEY (circular_id) REFERENCES circulars (id) ON DELETE RESTRICT,
    CONSTRAINT fk_vendor_cases_users_first_seen_by_id FOREIGN KEY (first_seen_by_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT fk_vendor_cases_vendor_organisations_vendor_organisation_id FOREIGN KEY (vendor_organisation_id) REFERENCES vendor_organisations (id) ON DELETE RESTRICT,
    CONSTRAINT ck_vendor_cases_seen CHECK ((first_seen_at IS NULL) = (first_seen_by_id IS NULL))
);
CREATE UNIQUE INDEX ix_vendor_cases_circular_id_vendor_organisation_id ON vendor_cases (circular_id, vendor_organisation_id);
CREATE INDEX ix_vendor_cases_first_seen_by_id ON vendor_cases (first_seen_by_id);
CREATE INDEX ix_vendor_cases_vendor_organisation_id ON vendor_cases (vendor_organisation_id);

CREATE TABLE vendor_case_models (
    id uuid NOT NULL,
    case_id uuid NOT NULL,
    device_model_id uuid NOT NULL,
    marketing_name character varying(200) NOT NULL,
    status character varying(20) NOT NULL
        CONSTRAINT ck_vendor_case_models_status CHECK (status IN ('Unknown', 'Affected', 'NotAffected', 'FixClaimed', 'FixVerified')),
    CONSTRAINT pk_vendor_case_models PRIMARY KEY (id),
    CONSTRAINT fk_vendor_case_models_device_models_device_model_id FOREIGN KEY (device_model_id) REFERENCES device_models (id) ON DELETE RESTRICT,
    CONSTRAINT fk_vendor_case_models_vendor_cases_case_id FOREIGN KEY (case_id) REFERENCES vendor_cases (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX ix_vendor_case_models_case_id_device_model_id ON vendor_case_models (case_id, device_model_id);
CREATE INDEX ix_vendor_case_models_device_model_id ON vendor_case_models (device_model_id);

-- A vendor's users are told of a new case through the same outbox and inbox as staff (by user, not staff member).
ALTER TABLE notifications DROP CONSTRAINT ck_notifications_purpose;
ALTER TABLE notifications ADD CONSTRAINT ck_notifications_purpose
    CHECK (purpose IN ('Published', 'Amended', 'Reminder', 'Escalation', 'VendorCase'));
