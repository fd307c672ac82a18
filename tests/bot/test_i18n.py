import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import N_, Translator, normalize_language

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"gettext": None, "N_": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def used_messages() -> set[str]:
    found: set[str] = set()
    for folder in ("bot", "handlers"):
        for _file, _line, message, _comments, _ctx in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def swedish() -> dict[str, str]:
    with (ROOT / "bot/locale/sv/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = [m for m in read_po(handle) if m.id and not m.fuzzy]
    # a plural entry is keyed by its singular; every form must be translated
    found: dict[str, str] = {}
    for m in catalog:
        if isinstance(m.id, str) and isinstance(m.string, str):
            found[m.id] = m.string
        else:
            forms = list(m.string or ())
            found[str(m.id[0])] = " | ".join(forms) if forms and all(forms) else ""
    return found


def test_every_message_has_swedish_with_the_same_placeholders():
    catalog = swedish()
    used = used_messages()
    assert len(used) > 50  # the extraction itself works
    missing = sorted(m for m in used if not catalog.get(m))
    assert missing == []
    for msgid in used:
        assert set(PLACEHOLDER.findall(msgid)) == set(PLACEHOLDER.findall(catalog[msgid])), msgid


def test_swedish_is_the_default_and_english_is_the_message_id():
    assert Translator(None).gettext("Save") == "Spara"
    assert Translator("en").gettext("Save") == "Save"
    sv = Translator("sv").render(N_("Settings for {group}", group="EST Fittja"))
    assert sv == "Inställningar för EST Fittja"


def test_language_names():
    assert normalize_language("SV") == "sv"
    assert normalize_language("engelska") == "en"
    assert normalize_language("sv_SE") == "sv"
    assert normalize_language("fi") is None
