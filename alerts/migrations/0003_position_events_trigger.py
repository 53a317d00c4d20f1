from django.db import migrations

# Whatever writes a position (services, bulk upserts, the admin, raw SQL), a reopening, a
# deadline change, a closing or a "possibly filled" mark is logged for digests and reminders.
CREATE = """
CREATE OR REPLACE FUNCTION alerts_log_position_event() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'closed' AND NEW.status = 'open' THEN
        INSERT INTO alerts_positionevent (position_id, kind, old_deadline, new_deadline, at)
        VALUES (NEW.id, 'reopened', OLD.deadline, NEW.deadline, clock_timestamp());
    END IF;
    IF OLD.deadline IS DISTINCT FROM NEW.deadline AND NEW.status = 'open' THEN
        INSERT INTO alerts_positionevent (position_id, kind, old_deadline, new_deadline, at)
        VALUES (NEW.id, 'deadline', OLD.deadline, NEW.deadline, clock_timestamp());
    END IF;
    IF (OLD.status = 'open' AND NEW.status = 'closed')
       OR (NOT OLD.possibly_filled AND NEW.possibly_filled) THEN
        INSERT INTO alerts_positionevent (position_id, kind, old_deadline, new_deadline, at)
        VALUES (NEW.id, 'filled', OLD.deadline, NEW.deadline, clock_timestamp());
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER alerts_position_event
AFTER UPDATE OF status, deadline, possibly_filled ON positions_position
FOR EACH ROW
WHEN (OLD.status IS DISTINCT FROM NEW.status
      OR OLD.deadline IS DISTINCT FROM NEW.deadline
      OR OLD.possibly_filled IS DISTINCT FROM NEW.possibly_filled)
EXECUTE FUNCTION alerts_log_position_event();
"""

DROP = """
DROP TRIGGER IF EXISTS alerts_position_event ON positions_position;
DROP FUNCTION IF EXISTS alerts_log_position_event();
"""


class Migration(migrations.Migration):
    dependencies = [("alerts", "0002_sends_reminders_suppression")]

    operations = [migrations.RunSQL(CREATE, DROP)]
