"""The reporters' web form over HTTP: what a reporter outside Slack can and cannot do."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest

from bot.errors import Forbidden
from tests.bot.conftest import as_user
from tests.web.conftest import Site


def get(url: str) -> tuple[int, str, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read().decode(), dict(answer.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def post(url: str, fields: dict[str, str], raw: bytes | None = None) -> tuple[int, str, dict]:
    data = raw if raw is not None else urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(url, data=data, method="POST")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read().decode(), dict(answer.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found.group(1)


def form(page: str, **fields: str) -> dict[str, str]:
    return {"csrf": csrf(page), "plats": "", "kategori": "", "nar": "", "vad": "", **fields}


def test_a_reporter_sends_a_report_and_sees_only_what_was_saved(site: Site):
    url = site.link("Nattvandrarna Fittja; Botkyrkabyggen")
    status, page, headers = get(url)
    assert status == 200
    assert '<html lang="sv">' in page and "Rapportera en händelse" in page
    assert '<option value="Fittja centrum">' in page  # the place suggestions
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "<script" not in page and "http" not in page.split("<body>")[1]  # nothing outside
    fields = form(
        page,
        plats="fittja centrum",
        kategori="klotter",
        nar="igår 21:30",
        vad="Klotter på <b>väggen</b>",
    )
    status, saved, _ = post(url, fields)
    assert status == 201
    assert "Tack! Din rapport är sparad." in saved
    assert "Fittja centrum" in saved and "Klotter" in saved
    assert "&lt;b&gt;väggen&lt;/b&gt;" in saved and "<b>väggen" not in saved
    assert "torsdag 19 november 2026 kl. 21:30" in saved  # NOW is 2026-11-20 21:30 UTC
    assert "Polisen" not in saved and "Albys hjärta" not in saved  # nothing else of the group
    with site.services.db.unit_of_work(read_only=True) as uow:
        rows = uow.incidents.newest(1, NOW_MINUS_YEAR, FAR, None, offset=0, limit=5)
        org = uow.organisations.get(rows[0].organisation_id)
        events = [e for e in uow.audit.of_kinds(1, ["incident"]) if e.action == "incident.created"]
    assert rows[0].reporter_user_id.startswith("webb:")
    assert org is not None and org.name == "Botkyrkabyggen"
    assert events and events[-1].actor == rows[0].reporter_user_id
    again, _, _ = post(url, fields)  # the same form replayed: one incident, shown again
    assert again == 200
    with site.services.db.unit_of_work(read_only=True) as uow:
        assert len(uow.incidents.newest(1, NOW_MINUS_YEAR, FAR, None, offset=0, limit=5)) == 1


def test_personal_data_and_unknown_places_are_refused_with_the_text_handed_back(site: Site):
    url = site.link()
    _, page, _ = get(url)
    typed = "Ring 070-123 45 67 om klottret"
    status, answer, _ = post(url, form(page, plats="Fittja centrum", kategori="klotter", vad=typed))
    assert status == 422
    assert "telefonnummer" in answer.lower() and typed in answer  # the text comes back
    status, answer, _ = post(url, form(page, plats="Fittja", kategori="klotter", vad="x"))
    assert status == 422 and "Menade du" in answer and "”Fittja centrum”" in answer
    with site.services.db.unit_of_work(read_only=True) as uow:
        assert uow.incidents.newest(1, NOW_MINUS_YEAR, FAR, None, offset=0, limit=5) == []


def test_without_the_forms_token_nothing_is_saved(site: Site):
    url = site.link()
    get(url)
    status, answer, _ = post(url, {"plats": "Fittja centrum", "kategori": "klotter"})
    assert status == 400 and "Öppna länken igen" in answer
    other = site.link("Skolan")  # another link's token is not this link's
    _, page, _ = get(other)
    status, _, _ = post(url, form(page, plats="Fittja centrum", kategori="klotter"))
    assert status == 400
    _, page, _ = get(url)
    site.clock.advance(timedelta(hours=5))  # an old form has expired
    status, _, _ = post(url, form(page, plats="Fittja centrum", kategori="klotter"))
    assert status == 400


def test_unknown_and_revoked_links_are_refused_plainly(site: Site):
    status, page, headers = get(f"{site.base}/rapportera/gissad-token-123")
    assert status == 404 and "finns inte" in page and headers["X-Content-Type-Options"] == "nosniff"
    url = site.link("Sara på skolan")
    site.services.reporters.revoke(
        as_user(site.services, "U0ANNA"), "Sara på skolan", now=site.clock.now()
    )
    status, page, _ = get(url)
    assert status == 410 and "återkallad" in page


def test_a_large_body_is_refused_and_a_link_is_rate_limited(site: Site):
    url = site.link()
    get(url)
    status, answer, _ = post(url, {}, raw=b"vad=" + b"x" * 20_000)
    assert status == 413 and "för stor" in answer
    for _ in range(28):  # 30 requests in the window: a GET and a POST above, and these
        assert get(url)[0] == 200
    status, answer, headers = get(url)
    assert status == 429 and int(headers["Retry-After"]) == 600
    site.clock.advance(timedelta(minutes=10))
    assert get(url)[0] == 200


def test_only_admins_make_list_and_revoke_links(site: Site):
    erik = as_user(site.services, "U0ERIK")
    with pytest.raises(Forbidden):
        site.services.reporters.create(erik, "Nattvandrarna", now=site.clock.now())
    with pytest.raises(Forbidden):
        site.services.reporters.list(erik)
    with pytest.raises(Forbidden):
        site.services.reporters.revoke(erik, "1", now=site.clock.now())


from datetime import UTC, datetime  # noqa: E402

NOW_MINUS_YEAR = datetime(2025, 1, 1, tzinfo=UTC)
FAR = datetime(2030, 1, 1, tzinfo=UTC)


def test_the_feedback_page_behind_the_link_and_its_switch(site: Site):
    url = site.link()
    status, page, headers = get(url + "/aterkoppling")
    assert status == 200 and headers["Referrer-Policy"] == "no-referrer"
    assert "Du rapporterade inga händelser i oktober 2026." in page  # NOW is in November
    status, page, _ = post(url + "/aterkoppling", {"csrf": csrf(page), "aterkoppling": "av"})
    assert status == 200 and "Du har stängt av återkopplingen" in page
    assert "Slå på återkopplingen" in page
    status, _, _ = post(url + "/aterkoppling", {"aterkoppling": "på"})  # no token: refused
    assert status == 400
    assert "Du har stängt av" in get(url + "/aterkoppling")[1]


def test_a_time_in_the_future_is_refused_saying_what_was_understood(site: Site):
    url = site.link()
    _, page, _ = get(url)
    fields = form(page, plats="Fittja centrum", kategori="klotter", nar="i morgon 21:00", vad="x")
    status, answer, _ = post(url, fields)
    assert status == 422
    assert "lördag 21 november 2026 kl. 21:00" in answer  # NOW is Friday 20 November
    assert 'id="nar" name="nar" maxlength="100" value="i morgon 21:00"' in answer
    assert 'aria-invalid="true" aria-describedby="fel nar-hjalp"' in answer
    assert answer.count("aria-describedby") == 1  # the one field marked, once
