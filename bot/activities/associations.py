"""Recognising a payment to an association, whatever box was ticked.

The 2023 grant dispute (domain.md §4) named payments to associations whose recipients were
only named in a comment field. The rule "an association needs its organisation number" must
not hang on a box: a Swedish organisation number beginning with 8 is a non-profit
association's (ideell förening, registered foundation), and a supplier's name that says
"förening" or ends in a club's letters (IF, IK, FC …) is an association too.
"""

from __future__ import annotations

import re

from bot.commands import fold

# word endings of sports clubs and associations' names, as the field writes them
_CLUB_WORDS = re.compile(
    r"\b(if|ik|fc|ff|bk|sk|aik|bois|goif|ifk|idrottsklubb\w*|ideell\w*|scoutkar\w*)\b"
)


def association_number(org_number: str | None) -> bool:
    """A non-profit association's organisation number: the first of its ten digits is 8."""
    digits = re.sub(r"\D", "", org_number or "")
    return len(digits) in (10, 12) and digits[-10] == "8"


def named_like_association(supplier: str) -> bool:
    """'Fittja ungdomsförening', 'Norsborg FC', 'Hallunda IF', 'Scoutkåren Tumba'."""
    name = fold(supplier)
    return "forening" in name or bool(_CLUB_WORDS.search(name))


def is_association(supplier: str, org_number: str | None, ticked: bool) -> bool:
    """Ticked as one, numbered as one, or named as one."""
    return ticked or association_number(org_number) or named_like_association(supplier)
