"""What follows `/est export`, read into which export and its arguments (pure). The first word
picks the export, in Swedish or English; the rest is the export's own (a period, a year, an
activity's number), which its service reads."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.commands import fold


class Export(StrEnum):
    """The exports by their Swedish (primary) word."""

    INCIDENTS = "händelser"
    PICTURE = "lägesbild"
    ACTIVITY = "aktivitet"
    GRANT = "bidrag"
    ANALYSIS = "analys"


@dataclass(frozen=True)
class ExportWord:
    english: str
    usage: str  # shown when no export is named


EXPORTS: dict[Export, ExportWord] = {
    Export.INCIDENTS: ExportWord("incidents", "`/est export händelser [period] [plats]`"),
    Export.PICTURE: ExportWord("picture", "`/est export lägesbild 2026`"),
    Export.ACTIVITY: ExportWord("activity", "`/est export aktivitet 17`"),
    Export.GRANT: ExportWord("grant", "`/est export bidrag 2026`"),
    Export.ANALYSIS: ExportWord("analysis", "`/est export analys [kvartal | tertial] [2026-Q3]`"),
}


@dataclass(frozen=True)
class ExportRequest:
    export: Export
    args: str


def export_command(text: str) -> ExportRequest | None:
    """`<händelser | lägesbild | aktivitet | bidrag | analys> …`; None when the first word
    names none."""
    word, _, rest = text.strip().partition(" ")
    key = fold(word)
    for export, words in EXPORTS.items():
        if key in (fold(export.value), fold(words.english)):
            return ExportRequest(export, rest.strip())
    return None


def usages() -> str:
    """One line per export: what to write."""
    return "\n".join(f"• {words.usage}" for words in EXPORTS.values())
