-- Lab evidence of circulars: records, their files (bytes in the content-addressed store, named by SHA-256),
-- findings, and which published revision cited which evidence. See docs/decisions/0040-evidence-store-and-citation.md.

CREATE TABLE evidence (
    id uuid NOT NULL,
    circular_id uuid NOT NULL,
    title character varying(200) NOT NULL,
    lab character varying(200) NOT NULL,
    tested_on date NOT NULL,
    device_tested character varying(200) NOT NULL,
    firmware_tested character varying(100),
    method character varying(4000),
    shared_with_vendor_ids uuid[] NOT NULL,
    recorded_by_id uuid NOT NULL,
    recorded_at timestamp with time zone NOT NULL,
    cited_from_revision integer,
    superseded_at timestamp with time zone,
    superseded_by_id uuid,
    superseded_reason character varying(2000),
    CONSTRAINT pk_evidence PRIMARY KEY (id),
    CONSTRAINT fk_evidence_circulars_circular_id FOREIGN KEY (circular_id) REFERENCES circulars (id) ON DELETE RESTRICT,
    CONSTRAINT fk_evidence_users_recorded_by_id FOREIGN KEY (recorded_by_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT fk_evidence_users_superseded_by_id FOREIGN KEY (superseded_by_id) REFERENCES users (id) ON DELETE RESTRICT,
    CONSTRAINT ck_evidence_superseded CHECK ((superseded_at IS NULL) = (superseded_by_id IS NULL) AND (superseded_at IS NULL) = (superseded_reason IS NULL))
);
CREATE INDEX ix_evidence_circular_id ON evidence (circular_id);
CREATE INDEX ix_evidence_recorded_by_id ON evidence (recorded_by_id);
CREATE INDEX ix_evidence_superseded_by_id ON evidence (superseded_by_id);

CREATE TABLE evidence_files (
    id uuid NOT NULL,
    evidence_id uuid NOT NULL,
    file_name character varying(200) NOT NULL,
    sha256 character(64) NOT NULL CONSTRAINT ck_evidence_files_sha256 CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    length bigint NOT NULL CONSTRAINT ck_evidence_files_length CHECK (length > 0),
    content_type character varying(100) NOT NULL,
    uploaded_by_id uuid NOT NULL,
    uploaded_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_evidence_files PRIMARY KEY (id),
    CONSTRAINT fk_evidence_files_evidence_evidence_id FOREIGN KEY (evidence_id) REFERENCES evidence (id) ON DELETE CASCADE,
    CONSTRAINT fk_evidence_files_users_uploaded_by_id FOREIGN KEY (uploaded_by_id) REFERENCES users (id) ON DELETE RESTRICT
);
CREATE UNIQUE INDEX ix_evidence_files_evidence_id_sha256 ON evidence_files (evidence_id, sha256);
CREATE INDEX ix_evidence_files_sha256 ON evidence_files (sha256);
CREATE INDEX ix_evidence_files_uploaded_by_id ON evidence_files (uploaded_by_id);

CREATE TABLE evidence_findings (
    id uuid NOT NULL,
    evidence_id uuid NOT NULL,
    category character varying(20) NOT NULL CONSTRAINT ck_evidence_findings_category
        CHECK (category IN ('CarrierName', 'PhoneNumber', 'Imei', 'Contacts', 'Sms', 'CallLog', 'Location', 'Photos', 'Other')),
    host character varying(253),
    ip_address character varying(45),
    country character(2) NOT NULL CONSTRAINT ck_evidence_findings_country CHECK (country ~ '^[A-Z]{2}$'),
    protocol character varying(40),
    encrypted boolean NOT NULL,
    observed_at timestamp with time zone,
    CONSTRAINT pk_evidence_findings PRIMARY KEY (id),
    CONSTRAINT fk_evidence_findings_evidence_evidence_id FOREIGN KEY (evidence_id) REFERENCES evidence (id) ON DELETE CASCADE,
    CONSTRAINT ck_evidence_findings_destination CHECK (host IS NOT NULL OR ip_address IS NOT NULL)
);
CREATE INDEX ix_evidence_findings_evidence_id ON evidence_findings (evidence_id);

CREATE TABLE cited_evidence (
    revision_id uuid NOT NULL,
    evidence_id uuid NOT NULL,
    CONSTRAINT pk_cited_evidence PRIMARY KEY (revision_id, evidence_id),
    CONSTRAINT fk_cited_evidence_circular_revisions_revision_id FOREIGN KEY (revision_id) REFERENCES circular_revisions (id) ON DELETE RESTRICT,
    CONSTRAINT fk_cited_evidence_evidence_evidence_id FOREIGN KEY (evidence_id) REFERENCES evidence (id) ON DELETE RESTRICT
);
CREATE INDEX ix_cited_evidence_evidence_id ON cited_evidence (evidence_id);
CREATE TRIGGER cited_evidence_immutable BEFORE UPDATE OR DELETE ON cited_evidence FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Citation happens where every publication passes (approval, the scheduler, any future path): the insert
-- of the revision. The revision cites the circular's evidence that is not superseded, and that evidence
-- is immutable from then on.
CREATE FUNCTION cite_evidence() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO cited_evidence (revision_id, evidence_id)
        SELECT NEW.id, e.id FROM evidence e WHERE e.circular_id = NEW.circular_id AND e.superseded_at IS NULL;
    UPDATE evidence SET cited_from_revision = NEW.number
        WHERE circular_id = NEW.circular_id AND superseded_at IS NULL AND cited_from_revision IS NULL;
    RETURN NULL;
END $$;
CREATE TRIGGER circular_revisions_cite_evidence AFTER INSERT ON circular_revisions FOR EACH ROW EXECUTE FUNCTION cite_evidence();

-- The domain refuses changes to cited evidence; the database refuses them too, whatever path a change takes.
-- Only supersession and sharing with vendors may change once evidence is cited.
CREATE FUNCTION evidence_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.cited_from_revision IS NOT NULL THEN
            RAISE EXCEPTION 'cited evidence cannot be deleted' USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.cited_from_revision IS NOT NULL AND (
        (NEW.circular_id, NEW.title, NEW.lab, NEW.tested_on, NEW.device_tested, NEW.firmware_tested, NEW.method,
         NEW.recorded_by_id, NEW.recorded_at, NEW.cited_from_revision)
        IS DISTINCT FROM
        (OLD.circular_id, OLD.title, OLD.lab, OLD.tested_on, OLD.device_tested, OLD.firmware_tested, OLD.method,
         OLD.recorded_by_id, OLD.recorded_at, OLD.cited_from_revision)
        OR (OLD.superseded_at IS NOT NULL AND (NEW.superseded_at, NEW.superseded_by_id, NEW.superseded_reason)
            IS DISTINCT FROM (OLD.superseded_at, OLD.superseded_by_id, OLD.superseded_reason))) THEN
        RAISE EXCEPTION 'cited evidence is immutable' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER evidence_guard BEFORE UPDATE OR DELETE ON evidence FOR EACH ROW EXECUTE FUNCTION evidence_guard();

CREATE FUNCTION evidence_parts_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    parent uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.evidence_id ELSE NEW.evidence_id END;
BEGIN
    IF EXISTS (SELECT 1 FROM evidence WHERE id = parent AND cited_from_revision IS NOT NULL)
       OR (TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM evidence WHERE id = OLD.evidence_id AND cited_from_revision IS NOT NULL)) THEN
        RAISE EXCEPTION '% of cited evidence are immutable', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER evidence_files_guard BEFORE INSERT OR UPDATE OR DELETE ON evidence_files FOR EACH ROW EXECUTE FUNCTION evidence_parts_guard();
CREATE TRIGGER evidence_findings_guard BEFORE INSERT OR UPDATE OR DELETE ON evidence_findings FOR EACH ROW EXECUTE FUNCTION evidence_parts_guard();
