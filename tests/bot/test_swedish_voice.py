"""One Swedish voice: the catalog follows the term list in its header, and no sentence a person
reads is written outside it.

The term list is the header comment of bot/locale/sv/LC_MESSAGES/messages.po (domain.md §9)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.activities.rules import check_org_number
from bot.i18n import LOCALE_DIR

ROOT = Path(__file__).resolve().parents[2]
PO = LOCALE_DIR / "sv" / "LC_MESSAGES" / "messages.po"

# the word people should never meet, and the term the bot uses instead
FORBIDDEN = {
    r"fryst\w*|frysa|frys\w*": "fastställd",
    r"ägare\w*|ägaren": "ansvarig",
    r"owner\w*": "ansvarig",
    r"admins?": "administratör",
    r"insats\w*": "aktivitet",
    r"område\w*|områden\w*": "stadsdel",
    r"inrapport\w*": "lägesrapport",
    r"incident\w*": "händelse",
    r"analys av orsaker": "orsaksanalys",
    r"task\w*": "åtgärd",
}
# what a person typed or a code is: placeholders, `commands`, <@mentions|links>
_NOT_WORDS = re.compile(r"\{[^}]*\}|`[^`]*`|<[^>]*>")


def _messages() -> list[tuple[str, str]]:
    """(msgid, msgstr) of every message, plural forms one by one."""
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="sv")
    pairs = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strs = message.string if isinstance(message.string, tuple) else (message.string,)
        pairs += [(str(ids[min(i, len(ids) - 1)]), str(s or "")) for i, s in enumerate(strs)]
    return pairs


MESSAGES = _messages()


def test_the_header_carries_the_term_list() -> None:
    header = "\n".join(line for line in PO.read_text().splitlines() if line.startswith("#"))
    for term in ("lägesbild", "lägesrapport", "händelse", "åtgärd", "ansvarig", "aktivitet"):
        assert f"#   {term} = " in header
    for term in ("fastställd", "administratör", "orsaksanalys", "stadsdel"):
        assert f"#   {term} = " in header
    assert "”…”" in header


@pytest.mark.parametrize(("pattern", "term"), FORBIDDEN.items())
def test_no_swedish_text_uses_a_word_the_term_list_forbids(pattern: str, term: str) -> None:
    found = re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE)
    wrong = [s for _i, s in MESSAGES if found.search(_NOT_WORDS.sub(" ", s))]
    assert wrong == [], f"use “{term}”"


def test_the_checker_would_catch_the_words_it_looks_for() -> None:
    # the same test on texts known to be wrong: each must be caught
    samples = ["Lägesbilden är fryst.", "Bara ägaren kan ändra.", "(admins)", "en insats i området"]
    caught = 0
    for sample in samples:
        text = _NOT_WORDS.sub(" ", sample)
        caught += any(re.search(rf"\b(?:{p})\b", text, re.IGNORECASE) for p in FORBIDDEN)
    assert caught == len(samples)
    assert _NOT_WORDS.sub(" ", "`/est roll U1 admin` <@{admin}>").strip() == ""


def test_swedish_quotes_in_swedish_and_english_quotes_in_english() -> None:
    assert [s for _i, s in MESSAGES if "“" in s or "„" in s] == []
    straight = [s for _i, s in MESSAGES if '"' in _NOT_WORDS.sub(" ", s)]
    assert straight == []
    assert [i for i, _s in MESSAGES if "”" in i and "“" not in i] == []  # ” alone: Swedish


def test_no_word_is_written_twice_in_a_row() -> None:
    twice = re.compile(r"\b(\w+) \1\b", re.IGNORECASE)
    assert [s for _i, s in MESSAGES if twice.search(_NOT_WORDS.sub(" ", s))] == []
    assert twice.search("Gå med med dig")  # what it looks for


def test_a_count_in_a_singular_message_comes_after_its_noun() -> None:
    # "{done} klara i veckan" reads "1 klara"; a count that needs agreement is ngettext
    plural_after_count = re.compile(r"\{(?!n\})\w+\} (klara|öppna|försenade)\b")
    assert [s for _i, s in MESSAGES if plural_after_count.search(s)] == []


def test_every_organisation_number_in_a_text_is_one_the_bot_accepts() -> None:
    numbers = {n for _i, s in MESSAGES for n in re.findall(r"\b\d{6}-\d{4}\b", s)}
    assert numbers  # the organiser examples have one
    for number in numbers:
        assert check_org_number(number, "organisers") == number


def test_no_english_field_key_in_a_message() -> None:
    keys = re.compile(r"^(?:owner|place|category|when|description|field|due)\s*:", re.MULTILINE)
    assert [s for _i, s in MESSAGES if keys.search(s)] == []


# -- no sentence outside the catalog ----------------------------------------------------------

# the parts whose texts are data, not messages: the demo group's content, the console (a
# developer's stand-in for Slack, Swedish only), the command words and their help syntax, and
# the metrics' descriptions (read by operators' monitoring, in Prometheus' own English)
EXCLUDED = (
    "bot/demo/",
    "handlers/local/",
    "bot/commandhelp.py",
    "bot/commands.py",
    "handlers/metrics.py",
)
TRANSLATED = {"N_", "gettext", "ngettext", "render"}
NOT_SHOWN = {"debug", "info", "warning", "error", "exception", "critical"}
PATTERNS = {"compile", "match", "fullmatch", "search", "sub", "split", "findall"}
# stored keys and sample values, each shown through a translated label or typed by a person
DATA = {
    "arrangörer och aktörer",  # attendance key, labelled by attendance_label
    "Grovt våld / gatuvåld",  # default category labels, stored in both languages
    "Konflikt i offentlig miljö",
    "Polisen lokalpolisområde Botkyrka",  # a hint: an organisation's name as people write it
}


def _name(call: ast.Call) -> str:
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def _not_messages(tree: ast.AST) -> set[int]:
    """Ids of the string nodes that are not shown as sentences: docstrings, what goes into the
    catalog's functions, logs, exceptions for developers, regular expressions."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skip.add(id(body[0].value))
        if isinstance(node, ast.Call):
            name = _name(node)
            developer = name.endswith("Error") and name[:1].isupper()
            if name in TRANSLATED | NOT_SHOWN | PATTERNS or developer:
                args = [*node.args, *(k.value for k in node.keywords)]
                skip |= {id(sub) for arg in args for sub in ast.walk(arg)}
    return skip


def _sentence(text: str) -> bool:
    words = re.findall(r"[A-Za-zÅÄÖåäö]{2,}", text)
    if len(words) < 3 or " " not in text or text.startswith(("`", "[", "^", "(?")):
        return False
    if " | " in text or text in DATA:
        return False
    return text.rstrip().endswith((".", "?", "!", ":")) or bool(re.search("[åäöÅÄÖ]", text))


def hard_coded(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    skip = _not_messages(tree)
    return [
        f"{path.relative_to(ROOT)}:{node.lineno}: {node.value[:60]}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and id(node) not in skip and _sentence(node.value)
    ]  # fmt: skip


def test_no_sentence_is_hard_coded_outside_the_catalog() -> None:
    found = []
    for folder in ("bot", "handlers"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if not str(path.relative_to(ROOT)).startswith(EXCLUDED):
                found += hard_coded(path)
    assert found == []


def test_the_scan_finds_a_hard_coded_sentence(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""Docstrings are not shown."""\n'
        "def f(tr):\n"
        '    tr.gettext("Saved as incident #{id}.")\n'
        '    return "Inga händelser rapporterade i veckan"\n'
    )
    tree = ast.parse(sample.read_text())
    skip = _not_messages(tree)
    shown = [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str)
        and id(n) not in skip and _sentence(n.value)
    ]  # fmt: skip
    assert shown == ["Inga händelser rapporterade i veckan"]
