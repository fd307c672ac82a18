"""Block Kit for the weekly cycle: the report form, the lägesbild, the agenda and the minutes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    DividerBlock,
    ExternalDataMultiSelectElement,
    ExternalDataSelectElement,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    OverflowMenuElement,
    PlainTextObject,
    SectionBlock,
    StaticMultiSelectElement,
    TimePickerElement,
)

from bot.i18n import Translator
from bot.weekly.meetings import Minutes, WeekLine
from bot.weekly.notifications import (
    PictureMap,
    PictureMapFailed,
    PicturePosted,
    ReportNudge,
    ReportsCalled,
)
from bot.weekly.picture import OrgAssessment, Picture, PlaceLine
from bot.weekly.settings import MeetingSettings
from bot.weekly.weeks import MeetingState
from handlers.analysis.priority_blocks import as_blocks, build_priority_head
from handlers.forms import (
    CHECKBOXES,
    MENU_OPTIONS,
    date_input,
    free_text_input,
    modal,
    named_option,
    number_input,
    select_input,
    user_input,
)
from handlers.ids import Action as A
from handlers.ids import Block as B
from handlers.ids import Callback
from handlers.rendering import addressed, rendered, renderers
from handlers.text import (
    clip,
    escape,
    format_day_short,
    format_local_short,
    format_when,
    paragraphs,
    slack_reason,
)
from handlers.weekly.weeks import meeting_line, window_line

Message = dict[str, Any]
BLOCKS_PER_MESSAGE = 45  # Slack allows 50; room for a header and a note that more follows
LEVELS = ("lugnt", "oroligt", "allvarligt")
TRENDS = ("bättre", "oförändrat", "sämre")
ICON = {
    "allvarligt": ":red_circle:",
    "oroligt": ":large_orange_circle:",
    "lugnt": ":large_green_circle:",
}


def level_label(tr: Translator, level: str | None) -> str:
    labels = {
        "lugnt": tr.gettext("calm"),
        "oroligt": tr.gettext("worrying"),
        "allvarligt": tr.gettext("serious"),
    }
    icon = ICON.get(level or "", ":white_circle:")
    return f"{icon} {labels.get(level or '', tr.gettext('no level'))}"


def trend_label(tr: Translator, trend: str) -> str:
    labels = {
        "bättre": tr.gettext("better"),
        "oförändrat": tr.gettext("unchanged"),
        "sämre": tr.gettext("worse"),
    }
    return labels.get(trend, trend)


def options(
    tr: Translator, values: Sequence[str], label: Callable[[Translator, str], str]
) -> list[Option]:
    return [Option(value=v, label=label(tr, v)) for v in values]


def _place_blocks(tr: Translator, line: PlaceLine, *, meeting_id: int | None) -> list[Block]:
    average = (
        f"{line.average:.1f}".replace(".", ",") if tr.language == "sv" else f"{line.average:.1f}"
    )
    head = f"*{escape(line.place)}* · {level_label(tr, line.joint_level)}"
    if line.agreed:
        head += " · " + tr.gettext("agreed")
    counts = tr.ngettext(
        "{n} incident (average {avg} a week)",
        "{n} incidents (average {avg} a week)",
        line.incidents,
        avg=average,
    )
    categories = ", ".join(
        f"{sv if tr.language == 'sv' else en} {n}" for sv, en, n in line.by_category
    )
    text = f"{head}\n{counts}" + (f": {escape(categories)}" if categories else "")
    if line.analysis_id is not None and line.analysis_day:
        day = format_date(
            date.fromisoformat(line.analysis_day),
            "EEE d MMM",
            locale="en_GB" if tr.language == "en" else "sv_SE",
        )
        text += "\n" + tr.gettext(
            ":mag: Cause analysis #{id} ({day})", id=line.analysis_id, day=day
        )
    section = SectionBlock(text=MarkdownTextObject(text=clip(text)))
    if meeting_id is not None:
        section.accessory = OverflowMenuElement(
            action_id=A.SET_LEVEL,
            options=[
                *(
                    Option(
                        value=f"{meeting_id}:{line.place_id}:{lv}",
                        label=tr.gettext("Set joint level: {level}", level=level_label(tr, lv)),
                    )
                    for lv in LEVELS
                ),
                Option(
                    value=f"{meeting_id}:{line.place_id}:action",
                    label=tr.gettext("New action here…"),
                ),
            ],
        )
    blocks: list[Block] = [section]
    said = [
        f"{r.organisation}: {level_label(tr, r.level)}, {trend_label(tr, r.trend)}"
        + _lateness(tr, r)
        + (f" — {r.observations}" if r.observations else "")
        for r in line.reports
    ]  # what the organisations wrote, whole: as many sections as it takes
    blocks += [SectionBlock(text=PlainTextObject(text=t, emoji=True)) for t in paragraphs(said)]
    acts = [
        f"#{a.id} {escape(a.title)} · <@{a.owner}> · {format_day_short(a.due, tr.language)}"
        + (" :red_circle: " + tr.gettext("overdue") if a.overdue else "")
        for a in line.actions
    ]
    blocks += [_context(t) for t in paragraphs(acts)]
    blocks += [_context(t) for t in paragraphs(_activities(tr, line))]
    return blocks


def _context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text)])


def _activities(tr: Translator, line: PlaceLine) -> list[str]:
    """Activities at the place: held in the week (with attendance) and coming."""
    lines = []
    for a in line.activities:
        text = f":calendar: #{a.id} {escape(a.title)} · {format_local_short(a.start, tr.language)}"
        if a.attendance is not None:
            text += " · " + tr.gettext("{n} participants", n=a.attendance)
        if not a.motivated:
            text += " · " + tr.gettext(":warning: unmotivated (draft)")
        lines.append(text)
    return lines


def build_picture(
    tr: Translator, picture: Picture, *, meeting_id: int | None = None
) -> list[Message]:
    """The lägesbild as one or more messages: split, never cut off."""
    title = tr.gettext(
        "Lägesbild week {week}, {year}", week=picture.iso_week, year=picture.iso_year
    )
    notes = []
    if picture.version is not None:
        notes.append(tr.gettext("Frozen, version {v}.", v=picture.version))
    if picture.reason:
        notes.append(
            tr.gettext("Changed after the meeting: {reason}", reason=escape(picture.reason))
        )
    if picture.registered_since:  # an auditor sees what the fastställd version lacks
        notes.append(
            tr.gettext(
                "Registered after this version: {reports}. `/est lägesbild ändra v{week} {year} "
                "<orsak>` makes a version with them.",
                reports=escape(", ".join(picture.registered_since)),
                week=picture.iso_week,
                year=picture.iso_year,
            )
        )
    if picture.meeting is not None:  # which meeting, and why (it names a holiday's move)
        notes.append(meeting_line(tr, picture.meeting))
    elif picture.holiday:
        notes.append(
            tr.gettext(
                "The meeting moved to {day} ({holiday}).",
                day=picture.meeting_day,
                holiday=picture.holiday,
            )
        )
    if (counted := window_line(tr, picture)) is not None:
        notes.append(counted)
    missing = (
        tr.gettext("Not reported: {orgs}.", orgs=escape(", ".join(picture.missing)))
        if picture.missing
        else tr.gettext("Every organisation has reported.")
    )
    parts: list[list[Block]] = [  # a place's blocks stay together in one message
        [DividerBlock(), *_place_blocks(tr, line, meeting_id=meeting_id)] for line in picture.places
    ]
    if not picture.places:
        quiet = tr.gettext("No incidents and no reports this week.")
        parts.append([SectionBlock(text=MarkdownTextObject(text=quiet))])
    parts.append([_context(t) for t in paragraphs([missing])])
    if meeting_id is not None:
        parts.append(
            [
                ActionsBlock(
                    block_id=B.MEETING,
                    elements=[
                        ButtonElement(
                            text=tr.gettext("Decision"), action_id=A.DECISION, value=str(meeting_id)
                        ),
                        ButtonElement(
                            text=tr.gettext("New action"),
                            action_id=A.MEETING_ACTION,
                            value=f"{meeting_id}:{picture.iso_year}:{picture.iso_week}",
                        ),
                        ButtonElement(
                            text=tr.gettext("Close the meeting"),
                            action_id=A.CLOSE_MEETING,
                            value=str(meeting_id),
                            style="danger",
                        ),
                    ],
                )
            ]
        )
    head: list[Block] = [HeaderBlock(text=clip(title, 150))]
    if notes:
        head += [_context(t) for t in paragraphs([" ".join(notes)])]
    proposals = picture.proposals if meeting_id is not None else ()  # for the meeting to decide
    head += as_blocks(build_priority_head(tr, picture.priorities, proposals))
    chunks = _packed(parts, BLOCKS_PER_MESSAGE - len(head))
    messages = []
    for n, chunk in enumerate(chunks, 1):
        blocks = ([*head] if n == 1 else []) + chunk
        if len(chunks) > 1:
            blocks.append(
                ContextBlock(
                    block_id=f"{B.PICTURE_PART}_{n}",
                    elements=[
                        MarkdownTextObject(
                            text=tr.gettext("Part {n} of {total}.", n=n, total=len(chunks))
                        )
                    ],
                )
            )
        messages.append({"text": title, "blocks": [b.to_dict() for b in blocks]})
    return messages


def _packed(parts: Sequence[Sequence[Block]], room: int) -> list[list[Block]]:
    """The parts in as few messages as hold them, in order, none split unless it alone is
    longer than a message; the first message has ``room`` blocks, the others a whole one."""
    chunks: list[list[Block]] = [[]]
    for part in parts:
        left = (room if len(chunks) == 1 else BLOCKS_PER_MESSAGE) - len(chunks[-1])
        if chunks[-1] and len(part) > left:
            chunks.append([])
        for block in part:
            if len(chunks[-1]) >= (room if len(chunks) == 1 else BLOCKS_PER_MESSAGE):
                chunks.append([])
            chunks[-1].append(block)
    return chunks


def build_agenda_part(
    tr: Translator, agenda: Picture, meeting_id: int, shown: dict[str, Any] | None
) -> Message:
    """The agenda redrawn for the message ``shown`` (the one whose menu was used): that
    message's part of a long agenda, or the whole agenda."""
    parts = build_picture(tr, agenda, meeting_id=meeting_id)
    prefix = f"{B.PICTURE_PART}_"
    numbers = [
        int(block_id.removeprefix(prefix))
        for block in (shown or {}).get("blocks", [])
        if (block_id := str(block.get("block_id", ""))).startswith(prefix)
        and block_id.removeprefix(prefix).isdigit()
    ]
    number = numbers[0] if numbers else 1
    return parts[min(number, len(parts)) - 1]


def build_history(tr: Translator, place: str, weeks: Sequence[WeekLine]) -> Message:
    lines = [
        f"v. {w.iso_week} {w.iso_year} · {level_label(tr, w.joint_level)} · "
        + tr.ngettext("{n} incident", "{n} incidents", w.incidents)
        + (" · " + tr.gettext("adopted") if w.frozen else "")
        for w in weeks
    ]
    title = tr.gettext("{place}: the last twelve weeks", place=place)
    blocks: list[Block] = [
        HeaderBlock(text=clip(title, 150)),
        SectionBlock(text=MarkdownTextObject(text="\n".join(lines))),
    ]
    return {"text": title, "blocks": [b.to_dict() for b in blocks]}


def build_decision_modal(
    tr: Translator, picture: Picture, meeting_id: int, channel: str
) -> dict[str, Any]:
    places = [named_option(str(p.place_id), p.place) for p in picture.places]
    blocks: list[Block] = [
        free_text_input(
            B.DECISION,
            tr.gettext("Decision"),
            action_id=A.DECISION_TEXT,
        ),
        user_input(
            B.OWNER, tr.gettext("Owner (makes it an action)"), action_id=A.OWNER, optional=True
        ),
        date_input(B.DUE, tr.gettext("Due date"), action_id=A.DUE, optional=True),
    ]
    if len(places) > MENU_OPTIONS:  # every place of the group, found by typing
        search = ExternalDataSelectElement(
            action_id=A.PLACE_CHOICE, min_query_length=0, placeholder=tr.gettext("Type a place")
        )
        blocks.insert(
            1,
            InputBlock(block_id=B.PLACE, label=tr.gettext("Place"), element=search, optional=True),
        )
    elif places:
        blocks.insert(
            1,
            select_input(
                B.PLACE, tr.gettext("Place"), places, action_id=A.PLACE_CHOICE, optional=True
            ),
        )
    meta = {"c": channel, "meeting": meeting_id}
    return modal(tr, Callback.DECISION, tr.gettext("Decision"), blocks, meta)


def build_minutes(tr: Translator, minutes: Minutes) -> list[Message]:
    title = tr.gettext("Minutes, week {week} {year}", week=minutes.iso_week, year=minutes.iso_year)
    lines = []
    for d in minutes.decisions:
        line = f"• {escape(d.text)}"
        if d.place:
            line += f" ({escape(d.place)})"
        if d.action_id:
            line += " — " + tr.gettext(
                "action #{id}, <@{owner}>, due {due}",
                id=d.action_id,
                owner=d.owner_user_id,
                due=format_day_short(d.due_date, tr.language) if d.due_date else "",
            )
        lines.append(line)
    for a in minutes.actions:  # made with the agenda's "Ny åtgärd" buttons
        lines.append(
            "• "
            + tr.gettext(
                "New action #{id} “{title}”, <@{owner}>, due {due}",
                id=a.id,
                title=escape(a.title),
                owner=a.owner_user_id,
                due=format_day_short(a.due_date, tr.language),
            )
        )
    decided = "\n".join(lines) or tr.gettext("No decisions.")
    levels = "\n".join(
        f"{escape(p.place)}: {level_label(tr, p.joint_level)}" for p in minutes.picture.places
    )
    blocks: list[Block] = [
        HeaderBlock(text=clip(title, 150)),
        SectionBlock(
            text=MarkdownTextObject(text=clip("*" + tr.gettext("Decisions") + "*\n" + decided))
        ),
        SectionBlock(
            text=MarkdownTextObject(
                text=clip("*" + tr.gettext("Joint levels") + "*\n" + (levels or "–"))
            )
        ),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=tr.gettext(
                        "The week's lägesbild is adopted (version {v}): "
                        "`/est lägesbild v{week} {year}`.",
                        v=minutes.picture.version,
                        week=minutes.iso_week,
                        year=minutes.iso_year,
                    )
                )
            ]
        ),
    ]
    return [{"text": title, "blocks": [b.to_dict() for b in blocks]}]


def _when(tr: Translator, moment: datetime, tz: str) -> str:
    return format_when(moment, ZoneInfo(tz), tr.language)


def _with_report_button(tr: Translator, text: str, week: int) -> Message:
    button = ButtonElement(
        text=tr.gettext("Submit situation report"),
        action_id=A.OPEN_REPORT,
        value=str(week),
        style="primary",
    )
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=text)),
        ActionsBlock(elements=[button]),
    ]
    return {"text": text, "blocks": [b.to_dict() for b in blocks]}


def build_call(tr: Translator, note: ReportsCalled, *, direct: bool) -> Message:
    """The call for reports; in a DM it speaks to the person, with the button to the form."""
    due = _when(tr, note.deadline, note.group.timezone)
    text = (
        tr.gettext(
            "Time for your organisation's situation report for week {week}: due {due}.",
            week=note.iso_week,
            due=due,
        )
        if direct
        else tr.gettext(
            "Situation reports for week {week} are due {due}.", week=note.iso_week, due=due
        )
    )
    if note.holiday:
        text += " " + tr.gettext(
            "The meeting moves to {day} because of {holiday}.",
            day=note.meeting_day.isoformat(),
            holiday=note.holiday,
        )
    return _with_report_button(tr, text, note.iso_week)


def build_nudge(tr: Translator, note: ReportNudge) -> Message:
    text = tr.gettext(
        "{org} has not yet reported for week {week}. The deadline is {due}.",
        org=escape(note.organisation),
        week=note.iso_week,
        due=_when(tr, note.deadline, note.group.timezone),
    )
    return _with_report_button(tr, text, note.iso_week)


def build_posted(tr: Translator, note: PicturePosted) -> list[Message]:
    """The lägesbild at meeting time, with a word when it is late or a week was skipped."""
    messages = build_picture(tr, note.picture)
    said = []
    if note.late:
        said.append(tr.gettext("Posted late: the bot was down at meeting time."))
    if note.skipped_week:
        said.append(
            tr.gettext(
                "The lägesbild of week {week} was not posted: the bot was down "
                "for more than 12 hours. `/est lägesbild v{week}` shows it.",
                week=note.skipped_week,
            )
        )
    if note.meeting == MeetingState.CLOSED:  # the meeting was held: nothing to start
        said.append(
            tr.gettext(
                "The meeting has closed: this lägesbild is adopted (version {v}).",
                v=note.picture.version,
            )
        )
    elif note.meeting == MeetingState.OPEN:
        said.append(tr.gettext("The meeting is under way."))
    else:
        said.append(tr.gettext("Start the meeting with `/est möte`."))
    context = ContextBlock(elements=[MarkdownTextObject(text=" ".join(said))]).to_dict()
    messages[0] = {**messages[0], "blocks": [*messages[0]["blocks"], context]}
    return messages


def weekdays(tr: Translator) -> tuple[str, ...]:
    """The working days' names, Monday first, in the reader's language."""
    return (
        tr.gettext("Monday"),
        tr.gettext("Tuesday"),
        tr.gettext("Wednesday"),
        tr.gettext("Thursday"),
        tr.gettext("Friday"),
    )


def build_meeting_settings_modal(
    tr: Translator, settings: MeetingSettings, channel: str
) -> dict[str, Any]:
    days = [Option(value=str(i), label=label) for i, label in enumerate(weekdays(tr))]

    def day(block: str, label: str, chosen: int) -> InputBlock:
        return select_input(block, label, days, initial=str(min(chosen, 4)))

    blocks: list[Block] = [
        day(B.MEETING_WEEKDAY, tr.gettext("Meeting day"), settings.meeting_weekday),
        InputBlock(
            block_id=B.MEETING_TIME,
            label=tr.gettext("Meeting time"),
            element=TimePickerElement(action_id=B.MEETING_TIME, initial_time=settings.meeting_time),
        ),
        day(B.DEADLINE_WEEKDAY, tr.gettext("Reports due"), settings.deadline_weekday),
        InputBlock(
            block_id=B.DEADLINE_TIME,
            label=tr.gettext("Reports due at"),
            element=TimePickerElement(
                action_id=B.DEADLINE_TIME, initial_time=settings.deadline_time
            ),
        ),
        number_input(
            B.CALL_LEAD,
            tr.gettext("Call for reports, hours before the deadline"),
            initial=settings.call_lead_hours,
        ),
        number_input(
            B.NUDGE_LEAD,
            tr.gettext("Nudge, hours before the deadline"),
            initial=settings.nudge_lead_hours,
        ),
    ]
    if settings.organisations:
        blocks.append(_reporting_field(tr, settings))
    title = tr.gettext("Meeting and reports")
    return modal(tr, Callback.MEETING_SETTINGS, title, blocks, {"c": channel})


def _reporting_field(tr: Translator, settings: MeetingSettings) -> InputBlock:
    """Which organisations report: checkboxes for up to 10, a menu for up to 100, and past
    that a menu that searches (Slack's limits; every organisation stays choosable)."""
    options = [named_option(str(i), name) for i, name in settings.organisations]
    chosen = [o for o in options if int(o.value) in settings.reporting] or None
    element: CheckboxesElement | StaticMultiSelectElement | ExternalDataMultiSelectElement
    if len(options) <= CHECKBOXES:
        element = CheckboxesElement(action_id=B.REPORTING, options=options, initial_options=chosen)
    elif len(options) <= MENU_OPTIONS:
        element = StaticMultiSelectElement(
            action_id=B.REPORTING,
            options=options,
            initial_options=chosen,
            placeholder=tr.gettext("Choose"),
        )
    else:
        element = ExternalDataMultiSelectElement(
            action_id=B.REPORTING,
            initial_options=chosen,
            min_query_length=0,
            placeholder=tr.gettext("Type part of the name"),
        )
    label = tr.gettext("Organisations that report")
    return InputBlock(block_id=B.REPORTING, label=label, optional=True, element=element)


def build_map_failed(tr: Translator, note: PictureMapFailed) -> dict[str, Any]:
    """To an admin: the lägesbild's map could not be posted, and how to see it anyway."""
    text = tr.gettext(
        "The map of the lägesbild for w. {week} could not be posted in its thread ({reason}). "
        "The lägesbild itself is in the channel; show the map with "
        "`/est lägesbild v{week} karta`.",
        week=note.iso_week,
        reason=slack_reason(tr, note.reason),
    )
    return {"text": text, "blocks": [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]}


# which builder renders which of the weekly rhythm's notifications
RENDERERS = renderers(
    # in a DM the call speaks to the person; in the channel to everyone
    addressed(ReportsCalled, lambda tr, n, to: build_call(tr, n, direct=to.startswith(("U", "W")))),
    rendered(ReportNudge, build_nudge),
    rendered(PicturePosted, build_posted),
    rendered(PictureMap, lambda tr, n: {"text": tr.render(n.comment)}),
    rendered(PictureMapFailed, build_map_failed),
)


def _lateness(tr: Translator, report: OrgAssessment) -> str:
    """The suffix " (late)", or — registered after the meeting began — when it was registered."""
    if report.registered:
        day = date.fromisoformat(report.registered)
        locale = "en_GB" if tr.language == "en" else "sv_SE"
        shown = format_date(day, "d MMMM y", locale=locale)
        return " (" + tr.gettext("registered {day}, after the meeting", day=shown) + ")"
    return " (" + tr.gettext("late") + ")" if report.late else ""
