"""The evidence files' words: the audit trail, the records, the changed fields and the
weaknesses said in the reader's language, never as the bot's event names or column names."""

from __future__ import annotations

from collections.abc import Mapping

from bot.activities.drift import NO_EVENT, Drift
from bot.activities.evidence import AuditLine
from bot.activities.weaknesses import KINDS, Gap
from bot.exports.money import kronor
from bot.i18n import N_, LazyText, Translator
from bot.people import shown_name

_ENTITIES: dict[str, LazyText] = {
    "activity": N_("Activity {id}"),
    "activity_cost": N_("Cost {id}"),
    "activity_document": N_("Document {id}"),
    "activity_motivation": N_("Motivation {id}"),
}
_FIELDS: dict[str, LazyText] = {
    "amount_ore": N_("amount"),
    "description": N_("what it paid for"),
    "supplier": N_("supplier"),
    "supplier_org_number": N_("organisation number"),
    "to_association": N_("association"),
    "invoice_number": N_("invoice number"),
    "invoice_date": N_("invoice date"),
    "funding_source": N_("funding source"),
    "grant_year": N_("grant year"),
    "diarienummer": N_("diarienummer"),
    "project_code": N_("project code"),
    "activity_id": N_("activity"),
    "title": N_("title"),
    "kind": N_("kind"),
    "start_at": N_("start"),
    "end_at": N_("end"),
    "owner_user_id": N_("owner"),
    "purpose": N_("purpose"),
    "status": N_("status"),
    "attendance": N_("attendance"),
    "counting_method": N_("counting method"),
    "effect": N_("observed effect"),
    "document_date": N_("document date"),
    "reference": N_("where the original is"),
    "created_at": N_("registration time"),
    "updated_at": N_("time of change"),
}
# a record moved between activities: the same sentence for a cost and for a document
_MOVES: dict[str, str] = {
    "cost.moved": N_("Cost moved from activity {source} to activity {target}: {reason}").msgid,
    "document.moved": N_(
        "Document moved from activity {source} to activity {target}: {reason}"
    ).msgid,
}
RECORD_KINDS: dict[str, LazyText] = {
    "incident": N_("Incident"),
    "report": N_("Situation report"),
}


def record_name(tr: Translator, entity: str, entity_id: int | None) -> str:
    """'Kostnad 3', 'Aktivitet 1': a record as a reader names it."""
    text = _ENTITIES.get(entity)
    return tr.render(text).format(id=entity_id or "") if text else tr.gettext("Other record")


def record_kind(tr: Translator, kind: str) -> str:
    return tr.render(RECORD_KINDS[kind]) if kind in RECORD_KINDS else kind


def audit_text(tr: Translator, e: AuditLine) -> str:
    """What happened, in words: 'Kostnad registrerad: 1 740,00 kr, Polismyndigheten'."""
    after, before = e.after, e.before
    reason = str(after.get("reason") or "")
    if e.action in _MOVES:
        return tr.gettext(
            _MOVES[e.action],
            source=before.get("activity_id"),
            target=after.get("activity_id"),
            reason=reason,
        )
    if e.action == "cost.created":
        return tr.gettext(
            "Cost registered: {amount}, {supplier}",
            amount=kronor(ore if isinstance(ore := after.get("amount_ore"), int) else None),
            supplier=after.get("supplier", ""),
        )
    if e.action == "activity.motivated":
        kind = record_kind(tr, str(after.get("kind", "")))
        return tr.gettext(
            "Motivation linked: {kind} {id}", kind=kind.lower(), id=after.get("record_id")
        )
    if e.action == "activity.cancelled":
        return tr.gettext("The activity was cancelled: {reason}", reason=after.get("cancel_reason"))
    if e.action == "activity.moved":
        return tr.gettext("The activity was moved to another time: {reason}", reason=reason)
    if e.action == "document.created":
        return tr.gettext("Document registered: {title}", title=after.get("title", ""))
    return tr.render(_ACTIONS.get(e.action, N_("Change registered")))


_ACTIONS: dict[str, LazyText] = {
    "activity.created": N_("The activity was planned"),
    "activity.changed": N_("The activity was changed"),
    "activity.followed_up": N_("The activity was followed up"),
    "activity.exported": N_("Evidence pack exported"),
}


def actor_name(tr: Translator, people: Mapping[str, str], user_id: str | None) -> str:
    return shown_name(people, user_id, tr)


def drift_text(tr: Translator, drift: tuple[Drift, ...]) -> str:
    """'Kostnad 1: belopp' for each record changed outside the bot."""
    parts = []
    for d in drift:
        fields = [
            tr.gettext("no audit event")
            if f == NO_EVENT
            else tr.render(_FIELDS.get(f, N_("another field")))
            for f in d.fields
        ]
        parts.append(
            f"{record_name(tr, d.entity, d.entity_id)}: {', '.join(dict.fromkeys(fields))}"
        )
    return "; ".join(parts)


def gap_text(tr: Translator, gap: Gap) -> str:
    """The weakness in words, with its record and what it concerns."""
    what = tr.render(KINDS[gap.kind])
    if gap.kind == "moved":
        return tr.gettext(
            "Cost {cost}: moved from activity {source}: {reason}",
            cost=gap.cost_id,
            source=gap.from_activity,
            reason=gap.detail,
        )
    where = (
        tr.gettext("Cost {cost}", cost=gap.cost_id)
        if gap.cost_id is not None
        else tr.gettext("Activity {id}", id=gap.activity_id)
    )
    detail = f" ({gap.detail})" if gap.detail and gap.kind not in ("anecdotal",) else ""
    return f"{where}: {what}{detail}"
