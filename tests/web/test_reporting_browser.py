"""The reporters' form in a real headless Chromium, phone-sized: fill it in, send, read."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import Site

PHONE: Any = {"width": 390, "height": 844}


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs Chromium for the browser test: apt-get install -y chromium")
        pytest.skip("no Chromium on PATH: apt-get install -y chromium (Debian) to run this test")
    return found


@pytest.fixture
def page(tmp_path: Path):
    executable = chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="sv-SE")
        yield context.new_page()
        browser.close()


def test_a_reporter_on_a_phone_sends_a_report(site: Site, page, tmp_path: Path):
    url = site.link("Nattvandrarna Fittja; Botkyrkabyggen")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url)
    assert page.title() == "Rapportera en händelse"
    page.screenshot(path=str(tmp_path / "form.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]  # nothing wider than the phone
    page.get_by_label("Plats").fill("Fittja centrum")
    page.get_by_label("Kategori").select_option(label="Klotter")
    page.get_by_label("När").fill("igår 21:30")
    page.get_by_label("Vad som hände").fill("Ring 070-123 45 67")
    page.get_by_role("button", name="Skicka rapporten").click()
    alert = page.get_by_role("alert")
    assert "telefonnummer" in alert.inner_text().lower()
    assert page.get_by_label("Vad som hände").input_value() == "Ring 070-123 45 67"
    page.screenshot(path=str(tmp_path / "refused.png"), full_page=True)
    page.get_by_label("Vad som hände").fill("Nytt klotter på väggen vid entrén")
    page.get_by_role("button", name="Skicka rapporten").click()
    assert page.get_by_role("heading").inner_text() == "Tack! Din rapport är sparad."
    assert "Fittja centrum" in page.inner_text("dl")
    page.screenshot(path=str(tmp_path / "saved.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e]  # CSP blocked nothing
    page.get_by_role("link", name="Rapportera en händelse till").click()
    page.get_by_role("link", name="Vad dina rapporter har lett till").click()
    assert "Du rapporterade inga händelser i oktober 2026." in page.inner_text("main")
    page.get_by_role("button", name="Stäng av återkopplingen varje månad").click()
    assert "Du har stängt av återkopplingen varje månad." in page.inner_text("main")
    page.screenshot(path=str(tmp_path / "feedback.png"), full_page=True)
    shots = os.environ.get("EST_SCREENSHOTS")
    if shots:
        for name in ("form.png", "refused.png", "saved.png", "feedback.png"):
            shutil.copy(tmp_path / name, Path(shots) / name)


def test_a_reporter_on_a_phone_reads_what_last_months_report_led_to(
    site: Site, page, tmp_path: Path
):
    from datetime import date, datetime, timedelta

    from bot.actions.drafts import ActionDraft
    from tests.bot.conftest import as_user

    url = site.link("Skolan; Botkyrka kommun")
    page.goto(url)  # 20 November: a report at Fittja centrum
    page.get_by_label("Plats").fill("Fittja centrum")
    page.get_by_label("Kategori").select_option(label="Klotter")
    page.get_by_label("Vad som hände").fill("Klotter på skolans gavel")
    page.get_by_role("button", name="Skicka rapporten").click()
    assert page.get_by_role("heading").inner_text() == "Tack! Din rapport är sparad."
    anna = as_user(site.services, "U0ANNA")
    draft = ActionDraft("Sanera klotter", "U0ANNA", date(2026, 11, 27), places=["Fittja centrum"])
    action = site.services.actions.create(anna, draft, now=site.clock.now())
    site.clock.advance(timedelta(days=3))
    site.services.actions.set_status(anna, action.id, "klar", now=site.clock.now())
    site.clock.set(datetime.fromisoformat("2026-12-08T10:00:00+01:00"))  # a month later
    page.goto(url + "/aterkoppling")
    main = page.inner_text("main")
    assert "I november 2026 rapporterade du 1 händelse, vid Fittja centrum." in main
    assert "Sanera klotter" in main  # what the group did there since
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(tmp_path / "led-to.png"), full_page=True)
    if shots := os.environ.get("EST_SCREENSHOTS"):
        shutil.copy(tmp_path / "led-to.png", Path(shots) / "led-to.png")
