"""The action plan's repository, on each database: what an action's view is gathered from."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.actions.service import ActionDraft
from bot.incidents.service import parse_quick
from storage.models import ActionNote

# Monday 23 Nov 2026, 10:00 in Stockholm
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _action(demo, anna, title: str, places: list[str], incidents: tuple[int, ...] = ()) -> int:
    draft = ActionDraft(
        title=title,
        owner_user_id="U0ERIK",
        due_date=date(2026, 12, 4),
        places=places,
        incident_ids=list(incidents),
    )
    return demo.actions.create(anna, draft, now=MONDAY).id


def test_the_places_of_many_actions_by_name_in_one_answer(demo, anna, db):
    lit = _action(demo, anna, "Belysning", ["Tumba station", "Fittja torg", "Albys hjärta"])
    walk = _action(demo, anna, "Trygghetsvandring", ["Hallunda centrum"])
    bare = _action(demo, anna, "Utbildning", [])
    with db.unit_of_work(read_only=True) as uow:
        names = uow.actions.place_names([lit, walk, bare])
        assert names == {
            lit: ["Albys hjärta", "Fittja torg", "Tumba station"],
            walk: ["Hallunda centrum"],
        }
        assert uow.actions.place_names([walk]) == {walk: ["Hallunda centrum"]}
        assert uow.actions.place_names([]) == {}


def test_the_incidents_of_many_actions_in_id_order(demo, anna, db):
    logged = [
        demo.incidents.log(anna, parse_quick(f"Fittja torg; klotter; Tags {n}"), now=MONDAY)
        for n in range(3)
    ]
    first, second, third = (entry.incident.id for entry in logged)
    both = _action(demo, anna, "Sanera klotter", ["Fittja torg"], (third, first))
    one = _action(demo, anna, "Kameror", ["Fittja torg"], (second,))
    none = _action(demo, anna, "Möte", [])
    with db.unit_of_work(read_only=True) as uow:
        assert uow.actions.incident_ids([both, one, none]) == {both: [first, third], one: [second]}


def test_the_notes_of_many_actions_oldest_first(demo, anna, db):
    first = _action(demo, anna, "Belysning", [])
    second = _action(demo, anna, "Kameror", [])
    silent = _action(demo, anna, "Möte", [])
    for action_id, text, minutes in (
        (first, "Offert begärd", 1),
        (second, "Polisen tillfrågad", 2),
        (first, "Offert mottagen", 3),
    ):
        demo.actions.add_note(anna, action_id, text, now=MONDAY + timedelta(minutes=minutes))
    with db.unit_of_work(read_only=True) as uow:
        notes = uow.actions.notes([first, second, silent])
    assert set(notes) == {first, second}
    assert [(n.kind, n.text, n.created_at) for n in notes[first]] == [
        ("note", "Offert begärd", MONDAY + timedelta(minutes=1)),
        ("note", "Offert mottagen", MONDAY + timedelta(minutes=3)),
    ]
    assert [n.text for n in notes[second]] == ["Polisen tillfrågad"]
    assert all(isinstance(n, ActionNote) and n.author_user_id == "U0ANNA" for n in notes[first])
