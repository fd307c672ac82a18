"""The personal-data guard: EST records places, times and categories — never who.

Free text is checked before anything is saved. The rules catch the obvious cases; they are
shapes, not understanding, so a name with a school ("Kalle i 7B på Kårsbyskolan") is not caught.

* **personnummer / samordningsnummer**: 10 or 12 digits, YYMMDD or YYYYMMDD then four digits,
  with "-", "+" or a space between (spaces around the dash are fine) or nothing. The date and the
  Luhn check digit must hold (python-stdnum); a 12-digit form must start with 18, 19 or 20. A
  samordningsnummer is a personnummer with 60 added to the day: stdnum rejects those, so the day
  is moved back before the date is checked. Numbers with a wrong check digit are not flagged
  (invoice numbers, case numbers), nor are organisation numbers, whose month is 20 or more.
* **telefonnummer**: as people type them. Swedish: 0 and an area code (never 00), 8–10 digits in
  all ("070-123 45 67", "08-123 456 78", "(08) 123 45 67"); or +46 / 0046, an optional "(0)",
  then 7–9 digits. Another country code (+47, 0047) with 8–14 digits counts too. Groups may be
  joined by one space or by a dash (spaces around it are fine); dots, slashes and colons never
  join them, so dates and times ("20/11 21.30", "08.30") are not numbers, and a match may not
  start right after a digit and a dot, comma, colon, slash or dash ("2026-05-01"). Numbers that
  start with neither 0 nor + (amounts, years, postcodes, diarienummer, "114 14") are never phone
  numbers, nor are groups that start with 00 ("1 000 000 kr"). A business's number looks like
  anyone's, so it is flagged too. Known false alarm: a date typed with spaces, "05 12 2026".
* **e-postadress**: local@domain.tld; letters include å, ä, ö. "anna (at) x.se" is not caught.
* **registreringsnummer**: ABC 123 or ABC 12A (space, dash or nothing in between), letters
  without I, Q, V (never used on plates) and without å, ä, ö. In capitals it always counts;
  in lower or mixed case ("rum 101", "Box 123") only within 30 characters after a vehicle word
  (bil, reg.nr, registreringsnummer, skylt, moped …). Currency codes and a few capital
  abbreviations (SEK 100, SOS 112) are not plates.

When two findings overlap, the one that starts first wins, then the longer, then the order of
``KINDS`` — so a bare ten-digit number that is a valid personnummer is reported as one even when
it could also be dialled.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from stdnum import luhn
from stdnum.exceptions import ValidationError
from stdnum.se import personnummer

from bot.errors import PersonalDataError
from bot.i18n import N_, LazyText

Kind = Literal[
    "personnummer", "samordningsnummer", "telefonnummer", "e-postadress", "registreringsnummer"
]
KINDS: Final[tuple[Kind, ...]] = (
    "personnummer",
    "samordningsnummer",
    "telefonnummer",
    "e-postadress",
    "registreringsnummer",
)


@dataclass(frozen=True)
class Finding:
    kind: Kind
    text: str  # exactly what was found, as typed
    start: int  # offset in the checked text

    @property
    def end(self) -> int:
        return self.start + len(self.text)


_SPACE = "[ \u00a0\u202f]"  # space, no-break space, narrow no-break space
_DASH = "[-\u2010-\u2013\u2212]"  # hyphen-minus, hyphens, figure dash, en dash, minus sign
_SEP = f"(?:{_SPACE}?{_DASH}{_SPACE}?|{_SPACE})"
_DIGIT = f"(?:{_SEP}?[0-9])"

_IDENTITY = re.compile(
    rf"(?<![0-9])(?P<date>[0-9]{{8}}|[0-9]{{6}})"
    rf"(?P<sep>{_SPACE}?(?:{_DASH}|\+){_SPACE}?|{_SPACE})?"
    r"(?P<serial>[0-9]{4})(?![0-9])"
)
_PHONE = re.compile(
    rf"(?<![\w+])(?<![0-9][.,:/\u2010-\u2013\u2212-])"  # not inside another number
    r"(?:"
    rf"(?:\+|00)46{_SEP}?(?:\(0\){_SPACE}?)?[1-9]{_DIGIT}{{6,8}}"  # +46 70 123 45 67
    rf"|0[1-9]{_DIGIT}{{6,8}}"  # 070-123 45 67, 08-123 456 78
    rf"|(?P<parens>\(0[1-9][0-9]{{0,2}}\){_SPACE}?[0-9]{_DIGIT}{{4,7}})"  # (08) 123 45 67
    rf"|(?:\+|00)[1-9]{_DIGIT}{{7,13}}"  # +47 912 34 567
    r")(?![0-9])"
)
_LOCAL = r"[\w!#$%&'*+/=?^`{|}~-]"
_EMAIL = re.compile(  # the look-behind starts a match only where a run of address characters does
    rf"(?<![\w.!#$%&'*+/=?^`{{|}}~-]){_LOCAL}+(?:\.{_LOCAL}+)*@(?:[\w-]+\.)+[^\W\d_]{{2,}}(?![\w-])"
)
_PLATE_LETTER = "A-HJ-PR-UW-Za-hj-pr-uw-z"  # no I, Q, V; no Å, Ä, Ö
_PLATE = re.compile(
    rf"(?<![\w-])(?P<letters>[{_PLATE_LETTER}]{{3}})[ \u00a0\u202f-]?"
    rf"[0-9]{{2}}(?P<last>[0-9{_PLATE_LETTER}])(?![\w-])"
)
_NOT_PLATES = frozenset({"SEK", "EUR", "USD", "NOK", "DKK", "GBP", "SOS", "SFS", "SCB"})
_VEHICLE_WORD = re.compile(
    r"\b(?:(?:last|person|polis|tjänste)?bil(?:en|ens|ar|arna)?|fordon(?:et|ets)?"
    r"|reg(?:\.?\s?nr|istreringsnumm?(?:er|ret))?|(?:registrerings)?skylt(?:en|ar|arna)?"
    r"|nummerplåt(?:en|ar|arna)?|moped(?:en|er)?|mc(?::n)?|epa(?:n)?|a-traktor(?:n)?)(?!\w)\.?"
    r"[^.!?\n]{0,30}$",
    re.IGNORECASE,
)


def _identity_kind(date: str, separator: str, serial: str) -> Kind | None:
    """Which identity number ``date``+``serial`` is, if the date and the check digit hold."""
    if len(date) == 8 and date[:2] not in ("18", "19", "20"):
        return None
    if not luhn.is_valid(date[-6:] + serial):
        return None
    kind: Kind = "personnummer"
    day = int(date[-2:])
    if day > 60:  # samordningsnummer: stdnum only knows real dates, so move the day back
        kind, date = "samordningsnummer", f"{date[:-2]}{day - 60:02d}"
    century_sign = "+" if "+" in separator else "-"  # "+": 100 years or older
    try:
        personnummer.get_birth_date(f"{date}{century_sign}{serial}")
    except ValidationError:
        return None
    return kind


def _identity_numbers(text: str) -> Iterator[Finding]:
    for match in _IDENTITY.finditer(text):
        kind = _identity_kind(match["date"], match["sep"] or "", match["serial"])
        if kind:
            yield Finding(kind, match[0], match.start())


def _phone_numbers(text: str) -> Iterator[Finding]:
    for match in _PHONE.finditer(text):
        if match["parens"] and not 8 <= sum(c.isdigit() for c in match[0]) <= 10:
            continue
        yield Finding("telefonnummer", match[0], match.start())


def _emails(text: str) -> Iterator[Finding]:
    for match in _EMAIL.finditer(text):
        yield Finding("e-postadress", match[0], match.start())


def _plates(text: str) -> Iterator[Finding]:
    for match in _PLATE.finditer(text):
        letters, last = match["letters"], match["last"]
        if letters.upper() in _NOT_PLATES:
            continue
        in_capitals = letters.isupper() and not last.islower()
        if in_capitals or _VEHICLE_WORD.search(text[max(0, match.start() - 60) : match.start()]):
            yield Finding("registreringsnummer", match[0], match.start())


# What every match of the four shapes above contains, found in one cheap scan: an "@"
# (e-postadress); six digits in a row (an identity number's date); "0" then 1-9, "00" or "+"
# then 1-9 (every phone number starts so); three plate letters, an optional space or dash, two
# digits. A text without any of these has no finding, and most free text has none.
_MAYBE = re.compile(
    rf"@|[0-9]{{6}}|0[1-9]|00|\+[1-9]|[{_PLATE_LETTER}]{{3}}[ \u00a0\u202f-]?[0-9]{{2}}"
)


def find_personal_data(text: str) -> list[Finding]:
    """Personal data in ``text``, in order of appearance, without overlaps."""
    if not _MAYBE.search(text):
        return []
    candidates = sorted(
        [*_identity_numbers(text), *_phone_numbers(text), *_emails(text), *_plates(text)],
        key=lambda f: (f.start, -len(f.text), KINDS.index(f.kind)),
    )
    findings: list[Finding] = []
    for candidate in candidates:
        if not findings or candidate.start >= findings[-1].end:
            findings.append(candidate)
    return findings


_DESCRIPTIONS: Final[dict[Kind, LazyText]] = {
    "personnummer": N_("a personal identity number ({text})"),
    "samordningsnummer": N_("a co-ordination number ({text})"),
    "telefonnummer": N_("a phone number ({text})"),
    "e-postadress": N_("an e-mail address ({text})"),
    "registreringsnummer": N_("a vehicle registration number ({text})"),
}


def describe(findings: Sequence[Finding]) -> LazyText:
    """A readable list: "a phone number (070-123 45 67) and an e-mail address (…)"."""
    unique = dict.fromkeys((f.kind, f.text) for f in findings)
    return _listing([LazyText(_DESCRIPTIONS[kind].msgid, {"text": text}) for kind, text in unique])


def _listing(parts: Sequence[LazyText]) -> LazyText:
    if not parts:
        raise ValueError("nothing to list")
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        return N_("{first} and {second}", first=parts[0], second=parts[1])
    return N_("{first}, {rest}", first=parts[0], rest=_listing(parts[1:]))


def ensure_no_personal_data(text: str, *, field: str | None = None) -> None:
    """Raise ``PersonalDataError`` naming what was found; the error carries ``text`` back."""
    findings = find_personal_data(text)
    if not findings:
        return
    raise PersonalDataError(
        N_(
            "The text contains {found}. EST records places, times and categories — never who. "
            "Remove the personal data and try again; your text is below so nothing is lost.",
            found=describe(findings),
        ),
        text=text,
        found=[f.kind for f in findings],
        field=field,
    )
