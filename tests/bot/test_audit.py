from sqlalchemy import text

from tests.bot.test_groups import setup_group


def test_tampering_is_found_and_named(services, db):
    setup_group(services)
    report = services.audit.verify()
    assert report.ok
    assert report.events == 5 + 21  # group, organisation, admin, 21 default categories, 2 orgs
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET actor = 'UEVIL' WHERE id = 3"))
    report = services.audit.verify()
    assert not report.ok
    assert report.broken_at == 3
    assert report.events == 2


def test_a_deleted_event_breaks_the_next_link(services, db):
    setup_group(services)
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_event WHERE id = 2"))
    report = services.audit.verify()
    assert report.broken_at == 3
    assert "prev_hash" in (report.reason or "")
