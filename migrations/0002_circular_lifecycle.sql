-- Circular lifecycle: review and approval, published revisions, the product catalogue and rules,
-- audience, outside sources, and the hash-chained audit log.

ALTER TABLE circulars DROP CONSTRAINT ck_circulars_status;
ALTER TABLE circulars ADD CONSTRAINT ck_circulars_status
    CHECK (status IN ('Draft', 'InReview', 'Scheduled', 'Published', 'Superseded', 'Withdrawn'));

ALTER TABLE circulars
    ADD COLUMN amendment character varying(20) NOT NULL DEFAULT 'None'
        CONSTRAINT ck_circulars_amendment CHECK (amendment IN ('None', 'Editing', 'InReview')),
    ADD COLUMN internal_notes text NOT NULL DEFAULT '',
    ADD COLUMN include_families boolean NOT NULL DEFAULT false,
    ADD COLUMN family_summary text NOT NULL DEFAULT '',
    ADD COLUMN submitted_by_id uuid CONSTRAINT fk_circulars_users_submitted_by_id REFERENCES users (id) ON DELETE RESTRICT,
    ADD COLUMN submitted_at timestamp with time zone,
    ADD COLUMN approved_by_id uuid CONSTRAINT fk_circulars_users_approved_by_id REFERENCES users (id) ON DELETE RESTRICT,
    ADD COLUMN scheduled_publish_at timestamp with time zone,
    ADD COLUMN change_summary character varying(2000),
    ADD COLUMN change_kind character varying(20)
        CONSTRAINT ck_circulars_change_kind CHECK (change_kind IN ('Minor', 'Material')),
    ADD COLUMN return_reason character varying(2000),
    ADD COLUMN returned_by_id uuid CONSTRAINT fk_circulars_users_returned_by_id REFERENCES users (id) ON DELETE RESTRICT,
    ADD COLUMN returned_at timestamp with time zone,
    ADD COLUMN current_revision_number integer NOT NULL DEFAULT 0,
    ADD COLUMN current_revision_id uuid,
    ADD COLUMN first_published_at timestamp with time zone,
    ADD COLUMN superseded_by_id uuid CONSTRAINT fk_circulars_circulars_superseded_by_id REFERENCES circulars (id) ON DELETE RESTRICT,
    ADD COLUMN closing_reason character varying(2000),
    ADD COLUMN closed_at timestamp with time zone;

CREATE TABLE manufacturers (
    id uuid NOT NULL,
    name character varying(200) NOT NULL,
    aliases text[] NOT NULL,
    vendor_organisation_id uuid,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_manufacturers PRIMARY KEY (id),
    CONSTRAINT fk_manufacturers_vendor_organisations_vendor_organisation_id FOREIGN KEY (vendor_organisation_id) REFERENCES vendor_organisations (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX ix_manufacturers_name ON manufacturers (name);
CREATE INDEX ix_manufacturers_vendor_organisation_id ON manufacturers (vendor_organisation_id);

CREATE TABLE device_models (
    id uuid NOT NULL,
    manufacturer_id uuid NOT NULL,
    marketing_name character varying(200) NOT NULL,
    model_numbers text[] NOT NULL,
    tacs text[] NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_device_models PRIMARY KEY (id),
    CONSTRAINT fk_device_models_manufacturers_manufacturer_id FOREIGN KEY (manufacturer_id) REFERENCES manufacturers (id) ON DELETE RESTRICT
);
CREATE UNIQUE INDEX ix_device_models_manufacturer_id_marketing_name ON device_models (manufacturer_id, marketing_name);
CREATE INDEX ix_device_models_tacs ON device_models USING gin (tacs);

CREATE TABLE firmware_versions (
    id uuid NOT NULL,
    device_model_id uuid NOT NULL,
    version character varying(100) NOT NULL,
    released_on date,
    notes character varying(2000),
    CONSTRAINT pk_firmware_versions PRIMARY KEY (id),
    CONSTRAINT fk_firmware_versions_device_models_device_model_id FOREIGN KEY (device_model_id) REFERENCES device_models (id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX ix_firmware_versions_device_model_id_version ON firmware_versions (device_model_id, version);

CREATE TABLE circular_rules (
    id uuid NOT NULL,
    circular_id uuid NOT NULL,
    manufacturer_id uuid NOT NULL,
    device_model_id uuid,
    model_pattern character varying(100),
    tac_prefixes text[] NOT NULL,
    firmware_below character varying(100),
    action character varying(20) NOT NULL CONSTRAINT ck_circular_rules_action CHECK (action IN ('Banned', 'Restricted', 'Monitor')),
    note character varying(2000),
    position integer NOT NULL,
    CONSTRAINT pk_circular_rules PRIMARY KEY (id),
    CONSTRAINT fk_circular_rules_circulars_circular_id FOREIGN KEY (circular_id) REFERENCES circulars (id) ON DELETE CASCADE,
    CONSTRAINT fk_circular_rules_device_models_device_model_id FOREIGN KEY (device_model_id) REFERENCES device_models (id) ON DELETE RESTRICT,
    CONSTRAINT fk_circular_rules_manufacturers_manufacturer_id FOREIGN KEY (manufacturer_id) REFERENCES manufacturers (id) ON DELETE RESTRICT
);
CREATE UNIQUE INDEX ix_circular_rules_circular_id_position ON circular_rules (circular_id, position);
CREATE INDEX ix_circular_rules_device_model_id ON circular_rules (device_model_id);
CREATE INDEX ix_circular_rules_manufacturer_id ON circular_rules (manufacturer_id);

CREATE TABLE circular_audience_units (
    circular_id uuid NOT NULL,
    unit_id uuid NOT NULL,
    CONSTRAINT pk_circular_audience_units PRIMARY KEY (circular_id, unit_id),
    CONSTRAINT fk_circular_audience_units_circulars_circular_id FOREIGN KEY (circular_id) REFERENCES circulars (id) ON DELETE CASCADE,
    CONSTRAINT fk_circular_audience_units_units_unit_id FOREIGN KEY (unit_id) REFERENCES units (id) ON DELETE RESTRICT
);
CREATE INDEX ix_circular_audience_units_unit_id ON circular_audience_units (unit_id);

CREATE TABLE circular_sources (
    id uuid NOT NULL,
    circular_id uuid NOT NULL,
    kind character varying(30) NOT NULL
        CONSTRAINT ck_circular_sources_kind CHECK (kind IN ('CertAdvisory', 'LabReport', 'VendorStatement', 'NewsReport', 'Other')),
    identifier character varying(200) NOT NULL,
    title character varying(500),
    url character varying(2000),
    CONSTRAINT pk_circular_sources PRIMARY KEY (id),
    CONSTRAINT fk_circular_sources_circulars_circular_id FOREIGN KEY (circular_id) REFERENCES circulars (id) ON DELETE CASCADE
);
CREATE INDEX ix_circular_sources_circular_id ON circular_sources (circular_id);

CREATE TABLE circular_revisions (
    id uuid NOT NULL,
    circular_id uuid NOT NULL,
    number integer NOT NULL,
    kind character varying(20) NOT NULL CONSTRAINT ck_circular_revisions_kind CHECK (kind IN ('Initial', 'Minor', 'Material')),
    change_summary character varying(2000) NOT NULL,
    published_at timestamp with time zone NOT NULL,
    submitted_by_id uuid NOT NULL,
    approved_by_id uuid NOT NULL,
    reference_number character varying(40) NOT NULL,
    title character varying(200) NOT NULL,
    severity character varying(20) NOT NULL,
    tlp character varying(20) NOT NULL,
    summary text NOT NULL,
    background text NOT NULL,
    risk_assessment text NOT NULL,
    impact text NOT NULL,
    required_actions text NOT NULL,
    "references" text NOT NULL,
    internal_notes text NOT NULL,
    include_families boolean NOT NULL,
    family_summary text NOT NULL,
    acknowledgement_deadline date NOT NULL,
    audience_unit_ids uuid[] NOT NULL,
    manufacturer_ids uuid[] NOT NULL,
    rules jsonb NOT NULL,
    sources jsonb NOT NULL,
    CONSTRAINT pk_circular_revisions PRIMARY KEY (id),
    CONSTRAINT fk_circular_revisions_circulars_circular_id FOREIGN KEY (circular_id) REFERENCES circulars (id) ON DELETE RESTRICT,
    CONSTRAINT fk_circular_revisions_users_approved_by_id FOREIGN KEY (approved_by_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT fk_circular_revisions_users_submitted_by_id FOREIGN KEY (submitted_by_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT ck_circular_revisions_four_eyes CHECK (approved_by_id <> submitted_by_id)
);
CREATE UNIQUE INDEX ix_circular_revisions_circular_id_number ON circular_revisions (circular_id, number);
CREATE INDEX ix_circular_revisions_approved_by_id ON circular_revisions (approved_by_id);
CREATE INDEX ix_circular_revisions_submitted_by_id ON circular_revisions (submitted_by_id);
CREATE INDEX ix_circular_revisions_published_at ON circular_revisions (published_at);
CREATE INDEX ix_circular_revisions_audience_unit_ids ON circular_revisions USING gin (audience_unit_ids);
CREATE INDEX ix_circular_revisions_manufacturer_ids ON circular_revisions USING gin (manufacturer_ids);

ALTER TABLE circulars ADD CONSTRAINT fk_circulars_circular_revisions_current_revision_id
    FOREIGN KEY (current_revision_id) REFERENCES circular_revisions (id) ON DELETE RESTRICT;
CREATE UNIQUE INDEX ix_circulars_current_revision_id ON circulars (current_revision_id);
CREATE INDEX ix_circulars_superseded_by_id ON circulars (superseded_by_id);
CREATE INDEX ix_circulars_scheduled_publish_at ON circulars (scheduled_publish_at) WHERE status = 'Scheduled';
CREATE INDEX ix_circulars_submitted_by_id ON circulars (submitted_by_id);
CREATE INDEX ix_circulars_approved_by_id ON circulars (approved_by_id);
CREATE INDEX ix_circulars_returned_by_id ON circulars (returned_by_id);

-- A published revision is what readers relied on: it never changes and is never removed.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER circular_revisions_immutable BEFORE UPDATE OR DELETE ON circular_revisions
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Reference numbers: one counter per year, taken inside the publishing transaction, so a number is
-- unique under concurrency and never reused (a rolled-back publication gives its number back unused).
CREATE TABLE reference_counters (
    year integer NOT NULL,
    last_number integer NOT NULL,
    CONSTRAINT pk_reference_counters PRIMARY KEY (year)
);

CREATE TABLE audit_events (
    id bigint GENERATED BY DEFAULT AS IDENTITY,
    occurred_at timestamp with time zone NOT NULL,
    actor_id uuid,
    entity_type character varying(50) NOT NULL,
    entity_id uuid NOT NULL,
    action character varying(50) NOT NULL,
    reason character varying(2000),
    data jsonb,
    chain_position bigint NOT NULL,
    previous_hash bytea NOT NULL,
    hash bytea NOT NULL,
    CONSTRAINT pk_audit_events PRIMARY KEY (id),
    CONSTRAINT fk_audit_events_users_actor_id FOREIGN KEY (actor_id) REFERENCES users (id) ON DELETE RESTRICT
);
CREATE INDEX ix_audit_events_actor_id ON audit_events (actor_id);
CREATE UNIQUE INDEX ix_audit_events_chain_position ON audit_events (chain_position);
CREATE INDEX ix_audit_events_entity_type_entity_id_id ON audit_events (entity_type, entity_id, id);

-- Each event's hash covers its content and the previous event's hash. The advisory lock orders
-- concurrent writers, so the chain has no forks; the lock is held only to the end of the transaction.
CREATE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last record;
BEGIN
    PERFORM pg_advisory_xact_lock(4242001);
    SELECT chain_position, hash INTO last FROM audit_events ORDER BY chain_position DESC LIMIT 1;
    NEW.chain_position := coalesce(last.chain_position, 0) + 1;
    NEW.previous_hash := coalesce(last.hash, '\x'::bytea);
    NEW.hash := sha256(NEW.previous_hash || convert_to(audit_event_text(NEW.chain_position, NEW.occurred_at, NEW.actor_id,
        NEW.entity_type, NEW.entity_id, NEW.action, NEW.reason, NEW.data), 'UTF8'));
    RETURN NEW;
END $$;

CREATE FUNCTION audit_event_text(chain_position bigint, occurred_at timestamptz, actor_id uuid, entity_type text,
    entity_id uuid, action text, reason text, data jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT concat_ws('|', chain_position, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
        coalesce(actor_id::text, ''), entity_type, entity_id, action, coalesce(reason, ''), coalesce(data::text, ''))
$$;

CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_chain();
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_change();
