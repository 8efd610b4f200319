-- Running tallies for the acknowledgement dashboards, per circular, revision and unit, so a dashboard
-- reads a few thousand small rows instead of aggregating half a million requests and a million
-- notifications on every page view (docs/decisions/0007-dashboard-tallies.md).
--
-- Every insert, update and delete of the source rows is counted, whichever code path makes it, inside
-- the same transaction, so the tallies are exact, not eventually consistent. Inserts and deletes come in
-- bulk (a fan-out of 500,000 rows, a cascade), so they are counted per statement from its transition
-- table: one grouped upsert, in key order. Updates come one row at a time (an acknowledgement, a
-- delivery), so they are counted per row, only when a counted column changed: a few single-row upserts
-- (about 0.15 ms), where a statement-level trigger costs about 1 ms per acknowledgement. A bulk UPDATE of
-- these tables would pay that per row; nothing in the portal makes one.

CREATE TABLE acknowledgement_tallies (
    circular_id uuid NOT NULL,
    revision_number integer NOT NULL,
    unit_id uuid NOT NULL,
    staff_asked integer NOT NULL,
    staff_acknowledged integer NOT NULL,
    family_asked integer NOT NULL,
    family_acknowledged integer NOT NULL,
    CONSTRAINT pk_acknowledgement_tallies PRIMARY KEY (circular_id, revision_number, unit_id)
);

-- Acknowledgements per unit and UTC hour, and per unit and UTC day: the dashboard's line over time. The
-- line is drawn by hour for the first two days after publication and by day after that, so what a
-- dashboard reads stays bounded (units x 48 hours, or units x days) however long a circular runs.
CREATE TABLE acknowledgement_hours (
    circular_id uuid NOT NULL,
    revision_number integer NOT NULL,
    unit_id uuid NOT NULL,
    hour timestamp with time zone NOT NULL,
    acknowledged integer NOT NULL,
    CONSTRAINT pk_acknowledgement_hours PRIMARY KEY (circular_id, revision_number, unit_id, hour)
);
CREATE TABLE acknowledgement_days (
    circular_id uuid NOT NULL,
    revision_number integer NOT NULL,
    unit_id uuid NOT NULL,
    day date NOT NULL,
    acknowledged integer NOT NULL,
    CONSTRAINT pk_acknowledgement_days PRIMARY KEY (circular_id, revision_number, unit_id, day)
);

-- Notifications per unit and channel by delivery state. Notifications with no circular or no unit are not counted.
CREATE TABLE delivery_tallies (
    circular_id uuid NOT NULL,
    revision_number integer NOT NULL,
    unit_id uuid NOT NULL,
    channel character varying(10) NOT NULL,
    pending integer NOT NULL,
    sent integer NOT NULL,
    failed integer NOT NULL,
    bounced integer NOT NULL,
    CONSTRAINT pk_delivery_tallies PRIMARY KEY (circular_id, revision_number, unit_id, channel)
);

-- The latest failures of a subtree, unit by unit: index-only (revision_number rides along as a last key
-- column), however the failures cluster.
CREATE INDEX ix_notifications_failures ON notifications (circular_id, unit_id, id, revision_number)
    WHERE state IN ('Failed', 'Bounced');

-- Bulk inserts and deletes: the statement's rows, signed +1 (inserted) or -1 (deleted), grouped.
CREATE FUNCTION tally_acknowledgement_requests() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changes text := CASE TG_OP WHEN 'INSERT' THEN 'SELECT *, 1 AS sign FROM changed_rows' ELSE 'SELECT *, -1 AS sign FROM changed_rows' END;
BEGIN
    EXECUTE format($sql$
        INSERT INTO acknowledgement_tallies AS t
            (circular_id, revision_number, unit_id, staff_asked, staff_acknowledged, family_asked, family_acknowledged)
        SELECT circular_id, revision_number, unit_id,
               coalesce(sum(sign) FILTER (WHERE dependent_id IS NULL), 0),
               coalesce(sum(sign) FILTER (WHERE dependent_id IS NULL AND acknowledged_at IS NOT NULL), 0),
               coalesce(sum(sign) FILTER (WHERE dependent_id IS NOT NULL), 0),
               coalesce(sum(sign) FILTER (WHERE dependent_id IS NOT NULL AND acknowledged_at IS NOT NULL), 0)
        FROM (%1$s) c
        GROUP BY circular_id, revision_number, unit_id
        ORDER BY circular_id, revision_number, unit_id
        ON CONFLICT (circular_id, revision_number, unit_id) DO UPDATE SET
            staff_asked = t.staff_asked + excluded.staff_asked,
            staff_acknowledged = t.staff_acknowledged + excluded.staff_acknowledged,
            family_asked = t.family_asked + excluded.family_asked,
            family_acknowledged = t.family_acknowledged + excluded.family_acknowledged;

        INSERT INTO acknowledgement_hours AS h (circular_id, revision_number, unit_id, hour, acknowledged)
        SELECT circular_id, revision_number, unit_id, date_trunc('hour', acknowledged_at, 'UTC'), sum(sign)
        FROM (%1$s) c
        WHERE acknowledged_at IS NOT NULL
        GROUP BY 1, 2, 3, 4
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (circular_id, revision_number, unit_id, hour) DO UPDATE SET acknowledged = h.acknowledged + excluded.acknowledged;

        INSERT INTO acknowledgement_days AS d (circular_id, revision_number, unit_id, day, acknowledged)
        SELECT circular_id, revision_number, unit_id, (acknowledged_at AT TIME ZONE 'UTC')::date, sum(sign)
        FROM (%1$s) c
        WHERE acknowledged_at IS NOT NULL
        GROUP BY 1, 2, 3, 4
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (circular_id, revision_number, unit_id, day) DO UPDATE SET acknowledged = d.acknowledged + excluded.acknowledged;
        $sql$, changes);
    RETURN NULL;
END
$$;

-- One row's part in the tallies, added (sign 1) or taken away (sign -1).
CREATE FUNCTION tally_acknowledgement_request(r acknowledgement_requests, sign integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO acknowledgement_tallies AS t
        (circular_id, revision_number, unit_id, staff_asked, staff_acknowledged, family_asked, family_acknowledged)
    VALUES (r.circular_id, r.revision_number, r.unit_id,
            sign * (r.dependent_id IS NULL)::int, sign * (r.dependent_id IS NULL AND r.acknowledged_at IS NOT NULL)::int,
            sign * (r.dependent_id IS NOT NULL)::int, sign * (r.dependent_id IS NOT NULL AND r.acknowledged_at IS NOT NULL)::int)
    ON CONFLICT (circular_id, revision_number, unit_id) DO UPDATE SET
        staff_asked = t.staff_asked + excluded.staff_asked,
        staff_acknowledged = t.staff_acknowledged + excluded.staff_acknowledged,
        family_asked = t.family_asked + excluded.family_asked,
        family_acknowledged = t.family_acknowledged + excluded.family_acknowledged;
    IF r.acknowledged_at IS NOT NULL THEN
        INSERT INTO acknowledgement_hours AS h (circular_id, revision_number, unit_id, hour, acknowledged)
        VALUES (r.circular_id, r.revision_number, r.unit_id, date_trunc('hour', r.acknowledged_at, 'UTC'), sign)
        ON CONFLICT (circular_id, revision_number, unit_id, hour) DO UPDATE SET acknowledged = h.acknowledged + excluded.acknowledged;
        INSERT INTO acknowledgement_days AS d (circular_id, revision_number, unit_id, day, acknowledged)
        VALUES (r.circular_id, r.revision_number, r.unit_id, (r.acknowledged_at AT TIME ZONE 'UTC')::date, sign)
        ON CONFLICT (circular_id, revision_number, unit_id, day) DO UPDATE SET acknowledged = d.acknowledged + excluded.acknowledged;
    END IF;
END
$$;

CREATE FUNCTION tally_acknowledgement_request_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM tally_acknowledgement_request(OLD, -1);
    PERFORM tally_acknowledgement_request(NEW, 1);
    RETURN NULL;
END
$$;

CREATE TRIGGER tally_inserted AFTER INSERT ON acknowledgement_requests
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION tally_acknowledgement_requests();
CREATE TRIGGER tally_deleted AFTER DELETE ON acknowledgement_requests
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION tally_acknowledgement_requests();
CREATE TRIGGER tally_updated AFTER UPDATE ON acknowledgement_requests FOR EACH ROW
    WHEN (OLD.acknowledged_at IS DISTINCT FROM NEW.acknowledged_at OR OLD.dependent_id IS DISTINCT FROM NEW.dependent_id
          OR OLD.unit_id <> NEW.unit_id OR OLD.circular_id <> NEW.circular_id OR OLD.revision_number <> NEW.revision_number)
    EXECUTE FUNCTION tally_acknowledgement_request_changed();

CREATE FUNCTION tally_notifications() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format($sql$
        INSERT INTO delivery_tallies AS t (circular_id, revision_number, unit_id, channel, pending, sent, failed, bounced)
        SELECT circular_id, revision_number, unit_id, channel,
               %1$s * count(*) FILTER (WHERE state = 'Pending'),
               %1$s * count(*) FILTER (WHERE state = 'Sent'),
               %1$s * count(*) FILTER (WHERE state = 'Failed'),
               %1$s * count(*) FILTER (WHERE state = 'Bounced')
        FROM changed_rows
        WHERE circular_id IS NOT NULL AND unit_id IS NOT NULL
        GROUP BY circular_id, revision_number, unit_id, channel
        ORDER BY circular_id, revision_number, unit_id, channel
        ON CONFLICT (circular_id, revision_number, unit_id, channel) DO UPDATE SET
            pending = t.pending + excluded.pending,
            sent = t.sent + excluded.sent,
            failed = t.failed + excluded.failed,
            bounced = t.bounced + excluded.bounced;
        $sql$, CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END);
    RETURN NULL;
END
$$;

CREATE FUNCTION tally_notification(r notifications, sign integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF r.circular_id IS NULL OR r.unit_id IS NULL THEN
        RETURN;
    END IF;
    INSERT INTO delivery_tallies AS t (circular_id, revision_number, unit_id, channel, pending, sent, failed, bounced)
    VALUES (r.circular_id, r.revision_number, r.unit_id, r.channel,
            sign * (r.state = 'Pending')::int, sign * (r.state = 'Sent')::int, sign * (r.state = 'Failed')::int, sign * (r.state = 'Bounced')::int)
    ON CONFLICT (circular_id, revision_number, unit_id, channel) DO UPDATE SET
        pending = t.pending + excluded.pending,
        sent = t.sent + excluded.sent,
        failed = t.failed + excluded.failed,
        bounced = t.bounced + excluded.bounced;
END
$$;

CREATE FUNCTION tally_notification_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM tally_notification(OLD, -1);
    PERFORM tally_notification(NEW, 1);
    RETURN NULL;
END
$$;

CREATE TRIGGER tally_inserted AFTER INSERT ON notifications
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION tally_notifications();
CREATE TRIGGER tally_deleted AFTER DELETE ON notifications
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION tally_notifications();
-- Read receipts, retries and the like change nothing counted and do not fire it.
CREATE TRIGGER tally_updated AFTER UPDATE ON notifications FOR EACH ROW
    WHEN (OLD.state <> NEW.state OR OLD.channel <> NEW.channel OR OLD.unit_id IS DISTINCT FROM NEW.unit_id
          OR OLD.circular_id IS DISTINCT FROM NEW.circular_id OR OLD.revision_number <> NEW.revision_number)
    EXECUTE FUNCTION tally_notification_changed();

-- What already exists when this migration runs.
INSERT INTO acknowledgement_tallies (circular_id, revision_number, unit_id, staff_asked, staff_acknowledged, family_asked, family_acknowledged)
SELECT circular_id, revision_number, unit_id,
       count(*) FILTER (WHERE dependent_id IS NULL),
       count(*) FILTER (WHERE dependent_id IS NULL AND acknowledged_at IS NOT NULL),
       count(*) FILTER (WHERE dependent_id IS NOT NULL),
       count(*) FILTER (WHERE dependent_id IS NOT NULL AND acknowledged_at IS NOT NULL)
FROM acknowledgement_requests
GROUP BY circular_id, revision_number, unit_id;

INSERT INTO acknowledgement_hours (circular_id, revision_number, unit_id, hour, acknowledged)
SELECT circular_id, revision_number, unit_id, date_trunc('hour', acknowledged_at, 'UTC'), count(*)
FROM acknowledgement_requests
WHERE acknowledged_at IS NOT NULL
GROUP BY circular_id, revision_number, unit_id, date_trunc('hour', acknowledged_at, 'UTC');

INSERT INTO acknowledgement_days (circular_id, revision_number, unit_id, day, acknowledged)
SELECT circular_id, revision_number, unit_id, (acknowledged_at AT TIME ZONE 'UTC')::date, count(*)
FROM acknowledgement_requests
WHERE acknowledged_at IS NOT NULL
GROUP BY circular_id, revision_number, unit_id, (acknowledged_at AT TIME ZONE 'UTC')::date;

INSERT INTO delivery_tallies (circular_id, revision_number, unit_id, channel, pending, sent, failed, bounced)
SELECT circular_id, revision_number, unit_id, channel,
       count(*) FILTER (WHERE state = 'Pending'), count(*) FILTER (WHERE state = 'Sent'),
       count(*) FILTER (WHERE state = 'Failed'), count(*) FILTER (WHERE state = 'Bounced')
FROM notifications
WHERE circular_id IS NOT NULL AND unit_id IS NOT NULL
GROUP BY circular_id, revision_number, unit_id, channel;
