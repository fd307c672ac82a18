"""A lägesrapport's channel post as Slack sees it: who, for which meeting, each place; late and
revised marks; the user's text escaped; Slack's limits kept."""

from datetime import UTC, date, datetime

from bot.actors import EstGroup
from bot.i18n import Translator
from bot.weekly.notifications import ReportPosted
from bot.weekly.reports import PlaceAssessment, WeeklyReport
from handlers.local.validation import check_message
from handlers.weekly.report_post import build_report_post

GROUP = EstGroup(1, "EST Fittja", "T0", "C0EST", "sv", "Europe/Stockholm")
SAVED = datetime(2026, 11, 23, 14, 5, tzinfo=UTC)  # 15:05 in Stockholm


def _report(*entries: PlaceAssessment, version: int = 1, late: bool = False, notes: str = ""):
    return WeeklyReport(
        7, 1, "Botkyrkabyggen", 2026, 48, version, notes, entries, late, "U0SARA", SAVED
    )


def _post(report: WeeklyReport) -> ReportPosted:
    return ReportPosted(GROUP, "1700000000.000001", None, report, date(2026, 11, 24), None)


def test_the_post_says_who_for_which_meeting_and_each_places_level_trend_and_observations():
    fittja = PlaceAssessment(
        1, "Fittja centrum", "oroligt", "sämre", "Lustgas <!channel> kvällstid"
    )
    alby = PlaceAssessment(2, "Albys hjärta", "lugnt", "bättre", "")
    message = build_report_post(Translator("sv"), _post(_report(fittja, alby)))
    assert message["text"] == (
        "Lägesrapport från Botkyrkabyggen till mötet tisdag 24 november, vecka 48"
    )
    texts = [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]
    assert texts[1] == (
        "*Fittja centrum* · :large_orange_circle: oroligt · sämre\n"
        "Lustgas &lt;!channel&gt; kvällstid\n"
        "*Albys hjärta* · :large_green_circle: lugnt · bättre"
    )
    signed = message["blocks"][-1]["elements"][0]["text"]
    assert signed == "Rapporterad av <@U0SARA>."
    assert "Sen" not in str(message) and "Reviderad" not in str(message)
    assert check_message(message) is None


def test_a_late_revised_report_says_so():
    fittja = PlaceAssessment(1, "Fittja centrum", "allvarligt", "sämre", "")
    message = build_report_post(
        Translator("sv"), _post(_report(fittja, version=3, late=True, notes="Se & hör"))
    )
    head = message["blocks"][0]["text"]["text"]
    assert head.endswith(" · :hourglass: Sen: sparad efter sista inlämningstid")
    contexts = [b["elements"][0]["text"] for b in message["blocks"] if b["type"] == "context"]
    assert contexts == [
        "Övrigt: Se &amp; hör",
        "Rapporterad av <@U0SARA>. Reviderad mån 23 nov. 15:05 (version 3).",
    ]


def test_a_report_of_many_long_observations_stays_within_one_message():
    entries = [
        PlaceAssessment(i, f"Plats {i}", "oroligt", "sämre", "x" * 2900) for i in range(1, 101)
    ]
    message = build_report_post(Translator("sv"), _post(_report(*entries)))
    assert check_message(message) is None
    assert len(message["blocks"]) <= 50
    assert "Resten av rapporten finns i `/est lägesbild v48`." in str(message["blocks"][-2])
