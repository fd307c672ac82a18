"""What an import did (or, in a dry run, would do): counts, and each refused row with why."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from bot.i18n import N_, Translator
from bot.incidents.imports.rows import Refusal

SHOWN_ROWS = 40  # refused rows listed one by one; the rest are counted per reason


@dataclass(frozen=True)
class ImportReport:
    file: str
    source: str
    dry_run: bool
    read: int  # data rows read (empty rows not counted)
    imported: int  # saved (a dry run: would be saved)
    duplicates: int  # already in the group (or twice in the file)
    empty: int
    refused: tuple[Refusal, ...]
    columns: tuple[tuple[str, str], ...]  # (field, header) as mapped
    ignored: tuple[str, ...]  # headers no field took: never read into the database
    kind: str  # "csv" or "xlsx"
    encoding: str = ""
    delimiter: str = ""
    merged: tuple[str, ...] = ()
    batches: int = 0

    def unknown(self, kind: str) -> list[tuple[str, int, tuple[str, ...]]]:
        """The texts refused as unknown (places or categories): how many rows, suggestions."""
        counts = Counter(r.text for r in self.refused if r.kind == kind)
        hints = {r.text: r.suggestions for r in self.refused if r.kind == kind}
        return [(text, n, hints[text]) for text, n in counts.most_common()]


def _how(report: ImportReport, tr: Translator) -> str:
    if report.kind == "xlsx":
        return "XLSX"
    names = {";": N_("semicolon"), ",": N_("comma"), "\t": N_("tab")}
    delimiter = tr.render(names[report.delimiter]) if report.delimiter in names else ""
    return ", ".join(t for t in ("CSV", report.encoding, delimiter) if t)


def render(
    report: ImportReport, tr: Translator, quote: Callable[[str], str] = lambda s: s
) -> list[str]:
    """The report as lines of plain text in the reader's language (console and Slack alike);
    ``quote`` is applied to what the file said (Slack: escaped)."""
    q = quote
    head = tr.gettext("Dry run (nothing saved): ") if report.dry_run else ""
    lines = [
        head
        + tr.gettext(
            "“{file}” ({how}), source “{source}”.",
            file=q(report.file),
            how=_how(report, tr),
            source=q(report.source),
        ),
        tr.gettext(
            "Columns: {columns}.", columns=", ".join(f"{f} ← ”{q(h)}”" for f, h in report.columns)
        ),
    ]
    if report.ignored:
        ignored = ", ".join(f"”{q(h)}”" for h in report.ignored)
        lines.append(
            tr.gettext("Ignored columns (not saved, not checked): {columns}.", columns=ignored)
        )
    if report.merged:
        lines.append(
            tr.gettext(
                "Merged cells read as the same value in every row: {ranges}.",
                ranges=", ".join(report.merged[:10]),
            )
        )
    verb = tr.gettext("would be imported") if report.dry_run else tr.gettext("imported")
    lines.append(
        tr.gettext(
            "Read {read} rows: {imported} {verb}, {duplicates} already there, {refused} "
            "refused; {empty} empty rows skipped.",
            read=report.read,
            imported=report.imported,
            verb=verb,
            duplicates=report.duplicates,
            refused=len(report.refused),
            empty=report.empty,
        )
    )
    for kind, label in (
        ("place", tr.gettext("Unknown places")),
        ("category", tr.gettext("Unknown categories")),
    ):
        unknown = report.unknown(kind)
        if unknown:
            lines.append(label + ":")
            for text, n, hints in unknown[:15]:
                hint = (
                    tr.gettext(" — did you mean {names}?", names=", ".join(hints)) if hints else ""
                )
                lines.append(
                    f"  ”{q(text) or '–'}”: " + tr.ngettext("{n} row", "{n} rows", n) + hint
                )
    if report.refused:
        lines.append(tr.gettext("Refused rows:"))
        for refusal in report.refused[:SHOWN_ROWS]:
            lines.append(
                "  "
                + tr.gettext(
                    "row {row}: {reason}",
                    row=refusal.row,
                    reason=tr.render(refusal.reason, quote=q),
                )
            )
        rest = len(report.refused) - SHOWN_ROWS
        if rest > 0:
            lines.append("  " + tr.ngettext("… and {n} more.", "… and {n} more.", rest))
    return lines
