"""Block Kit for setting up a group: modals, the settings overview and join requests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    ExternalDataSelectElement,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
)

from bot.actors import EstGroup, GroupOverview, Membership, Party
from bot.groups.notifications import (
    ChannelArchived,
    GroupCreated,
    JoinDecided,
    JoinRequested,
    MemberAdded,
    MemberLeft,
)
from bot.i18n import Translator
from handlers.forms import (
    MENU_OPTIONS,
    modal,
    named_option,
    number_input,
    select_input,
    text_input,
    user_input,
)
from handlers.ids import Action, Callback
from handlers.ids import Block as B
from handlers.rendering import rendered, renderers
from handlers.text import clip, escape, paragraphs
from storage.models import OrganisationKind

Message = dict[str, Any]


def _options(pairs: Sequence[tuple[str, str]]) -> list[Option]:
    return [Option(value=value, label=label) for value, label in pairs]


def _select(
    tr: Translator,
    block: str,
    action: str,
    label: str,
    pairs: Sequence[tuple[str, str]],
    initial: str | None = None,
) -> InputBlock:
    options = _options(pairs)
    placeholder = tr.gettext("Choose")
    return select_input(
        block, label, options, action_id=action, initial=initial, placeholder=placeholder
    )


def _kinds(tr: Translator) -> list[tuple[str, str]]:
    labels = {
        OrganisationKind.KOMMUN: tr.gettext("municipality"),
        OrganisationKind.POLIS: tr.gettext("police"),
        OrganisationKind.BOSTADSBOLAG: tr.gettext("housing company"),
        OrganisationKind.SKOLA: tr.gettext("school"),
        OrganisationKind.FORENING: tr.gettext("association"),
        OrganisationKind.REGION: tr.gettext("region"),
        OrganisationKind.OVRIG: tr.gettext("other"),
    }
    return [(kind.value, labels[kind]) for kind in OrganisationKind]


_LANGUAGES = [("sv", "svenska"), ("en", "English")]


def build_create_group_modal(tr: Translator, channel_id: str) -> dict[str, Any]:
    intro = SectionBlock(
        text=MarkdownTextObject(
            text=tr.gettext(
                "The group is bound to <#{channel}>. You become its first admin; then you add the "
                "other organisations and approve who joins.",
                channel=channel_id,
            )
        )
    )
    return modal(
        tr,
        Callback.CREATE_GROUP,
        tr.gettext("New EST group"),
        [
            intro,
            text_input(
                B.NAME, tr.gettext("Name of the group"), action_id=Action.NAME, hint="EST Fittja"
            ),
            text_input(
                B.ORGANISATION,
                tr.gettext("Your organisation"),
                action_id=Action.ORGANISATION,
                hint="Botkyrka kommun",
            ),
            _select(
                tr, B.KIND, Action.KIND, tr.gettext("Type of organisation"), _kinds(tr), "kommun"
            ),
            _select(tr, B.LANGUAGE, Action.LANGUAGE, tr.gettext("Language"), _LANGUAGES, "sv"),
        ],
        meta={"c": channel_id},
    )


def build_edit_group_modal(tr: Translator, group: EstGroup) -> dict[str, Any]:
    return modal(
        tr,
        Callback.EDIT_GROUP,
        tr.gettext("The group"),
        [
            text_input(
                B.NAME, tr.gettext("Name of the group"), action_id=Action.NAME, initial=group.name
            ),
            _select(
                tr, B.LANGUAGE, Action.LANGUAGE, tr.gettext("Language"), _LANGUAGES, group.language
            ),
            text_input(
                B.TIMEZONE,
                tr.gettext("Time zone"),
                action_id=Action.TIMEZONE,
                initial=group.timezone,
            ),
            SectionBlock(
                text=MarkdownTextObject(
                    text=tr.gettext(
                        "*Hotspot notice* — one post in the channel when a place gets this many "
                        "incidents of one category within this many days, or this many times its "
                        "average week."
                    )
                )
            ),
            number_input(
                B.HOTSPOT_COUNT,
                tr.gettext("Incidents"),
                action_id=Action.HOTSPOT_COUNT,
                initial=group.hotspot_count,
            ),
            number_input(
                B.HOTSPOT_DAYS,
                tr.gettext("Days"),
                action_id=Action.HOTSPOT_DAYS,
                initial=group.hotspot_days,
            ),
            number_input(
                B.HOTSPOT_FACTOR,
                tr.gettext("Times the average"),
                action_id=Action.HOTSPOT_FACTOR,
                initial=group.hotspot_factor,
                decimal=True,
            ),
        ],
    )


def build_add_organisation_modal(tr: Translator) -> dict[str, Any]:
    return modal(
        tr,
        Callback.ADD_ORGANISATION,
        tr.gettext("New organisation"),
        [
            text_input(
                B.NAME,
                tr.gettext("Name"),
                action_id=Action.NAME,
                hint="Polisen lokalpolisområde Botkyrka",
            ),
            _select(tr, B.KIND, Action.KIND, tr.gettext("Type of organisation"), _kinds(tr)),
        ],
    )


def organisation_option(organisation: Party) -> Option:
    """An organisation in a menu: its id as the value, its whole name shown (names are up to 200
    characters; an option's text holds 75, its description 75 more)."""
    return named_option(str(organisation.id), organisation.name)


def _organisation_field(tr: Translator, label: str, organisations: Sequence[Party]) -> InputBlock:
    """A menu of the group's organisations; past the 100 a menu holds, one that searches as
    the person types (every organisation can be found)."""
    if len(organisations) <= MENU_OPTIONS:
        options = [organisation_option(o) for o in organisations]
        placeholder = tr.gettext("Choose")
        return select_input(
            B.ORGANISATION, label, options, action_id=Action.ORGANISATION, placeholder=placeholder
        )
    search = ExternalDataSelectElement(
        action_id=Action.ORGANISATION,
        min_query_length=0,
        placeholder=tr.gettext("Type part of the name"),
    )
    hint = tr.gettext("{n} organisations: type part of the name to find one.", n=len(organisations))
    return InputBlock(block_id=B.ORGANISATION, label=label, element=search, hint=hint)


def build_add_member_modal(tr: Translator, organisations: Sequence[Party]) -> dict[str, Any]:
    return modal(
        tr,
        Callback.ADD_MEMBER,
        tr.gettext("Add a member"),
        [
            _person(tr),
            _organisation_field(tr, tr.gettext("Organisation"), organisations),
            _select(tr, B.ROLE, Action.ROLE, tr.gettext("Role"), _roles(tr), "medlem"),
        ],
    )


def build_change_member_modal(tr: Translator) -> dict[str, Any]:
    """An admin changes a member's role or removes them (the group keeps at least one admin)."""
    choices = [*_roles(tr), ("ta bort", tr.gettext("remove from the group"))]
    return modal(
        tr,
        Callback.CHANGE_MEMBER,
        tr.gettext("Change a member"),
        [_person(tr), _select(tr, B.ROLE, Action.ROLE, tr.gettext("New role"), choices, "medlem")],
    )


def _roles(tr: Translator) -> list[tuple[str, str]]:
    return [
        ("medlem", tr.gettext("member")),
        ("admin", tr.gettext("admin")),
        ("läsare", tr.gettext("reader (read only)")),
        ("rapportör", tr.gettext("reporter (logs incidents, sees only their own)")),
    ]


def _person(tr: Translator) -> InputBlock:
    return user_input(B.USER, tr.gettext("Person"), action_id=Action.USER)


def build_join_modal(
    tr: Translator, group: EstGroup, organisations: Sequence[Party]
) -> dict[str, Any]:
    intro = SectionBlock(
        text=MarkdownTextObject(
            text=tr.gettext(
                "Ask to join *{group}*. An admin approves the request.", group=escape(group.name)
            )
        )
    )
    return modal(
        tr,
        Callback.JOIN,
        tr.gettext("Join the group"),
        [
            intro,
            _organisation_field(tr, tr.gettext("Your organisation"), organisations),
        ],
        meta={"c": group.channel_id},
    )


def _roster(tr: Translator, overview: GroupOverview) -> list[str]:
    """One line per organisation with its people, in as many sections as it takes."""
    lines = []
    for org in overview.organisations:
        people = [
            f"<@{m.user_id}>" + ("" if m.role == "medlem" else f" ({m.role})")
            for m in overview.active
            if m.organisation.id == org.id
        ]
        names = ", ".join(people) or tr.gettext("nobody yet")
        lines.append(f"• *{escape(org.name)}* ({org.kind}): {names}")
    return paragraphs(lines)


def build_settings(tr: Translator, overview: GroupOverview, *, is_admin: bool) -> Message:
    group = overview.group
    facts = tr.gettext(
        "Channel <#{channel}> · language {language} · time zone {tz}",
        channel=group.channel_id,
        language=group.language,
        tz=group.timezone,
    )
    blocks: list[Block] = [
        HeaderBlock(text=clip(group.name, 150)),
        ContextBlock(elements=[MarkdownTextObject(text=facts)]),
        *(SectionBlock(text=MarkdownTextObject(text=t)) for t in _roster(tr, overview)),
    ]
    if is_admin:
        blocks += [_pending_block(tr, m) for m in overview.pending[:20]]
        blocks.append(
            ActionsBlock(
                block_id=B.SETTINGS_ACTIONS,
                elements=[
                    ButtonElement(
                        text=tr.gettext("Add organisation"), action_id=Action.OPEN_ADD_ORGANISATION
                    ),
                    ButtonElement(text=tr.gettext("Add member"), action_id=Action.OPEN_ADD_MEMBER),
                    ButtonElement(
                        text=tr.gettext("Change member"), action_id=Action.OPEN_CHANGE_MEMBER
                    ),
                    ButtonElement(
                        text=tr.gettext("Change the group"), action_id=Action.OPEN_EDIT_GROUP
                    ),
                    ButtonElement(
                        text=tr.gettext("Meeting and reports"),
                        action_id=Action.OPEN_MEETING_SETTINGS,
                    ),
                ],
            )
        )
    text = tr.gettext("Settings for {group}", group=group.name)
    return {"text": text, "blocks": [b.to_dict() for b in blocks]}


def _pending_block(tr: Translator, member: Membership) -> SectionBlock:
    text = tr.gettext(
        "<@{user}> asks to join through *{org}*.",
        user=member.user_id,
        org=escape(member.organisation.name),
    )
    return SectionBlock(text=MarkdownTextObject(text=text), block_id=f"pending_{member.id}")


def build_join_request(tr: Translator, group: EstGroup, member: Membership) -> Message:
    """The DM an admin gets, with Approve / Reject."""
    text = tr.gettext(
        "<@{user}> asks to join *{group}* through *{org}*.",
        user=member.user_id,
        group=escape(group.name),
        org=escape(member.organisation.name),
    )
    if member.role == "rapportör":
        text += " " + tr.gettext(
            "As a reporter: they log incidents and see their own, nothing else of the group."
        )
    buttons = ActionsBlock(
        block_id=B.JOIN_DECISION,
        elements=[
            ButtonElement(
                text=tr.gettext("Approve"),
                action_id=Action.APPROVE_JOIN,
                value=str(member.id),
                style="primary",
            ),
            ButtonElement(
                text=tr.gettext("Reject"),
                action_id=Action.REJECT_JOIN,
                value=str(member.id),
                style="danger",
            ),
        ],
    )
    blocks = [SectionBlock(text=MarkdownTextObject(text=text)), buttons]
    return {"text": text, "blocks": [b.to_dict() for b in blocks]}


def build_join_decided(
    tr: Translator, group: EstGroup, member: Membership, *, approved: bool, decided_by: str
) -> Message:
    if approved:
        text = tr.gettext(
            "<@{user}> is now a member of *{group}* (approved by <@{by}>).",
            user=member.user_id,
            group=escape(group.name),
            by=decided_by,
        )
    else:
        text = tr.gettext(
            "The request from <@{user}> to join *{group}* was rejected by <@{by}>.",
            user=member.user_id,
            group=escape(group.name),
            by=decided_by,
        )
    return {"text": text, "blocks": [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]}


def build_group_created(tr: Translator, group: EstGroup, admin_user_id: str) -> Message:
    text = tr.gettext(
        "*{group}* now works in this channel, with <@{admin}> as admin. Join with "
        "`/est gå med <your organisation>`; `/est hjälp` shows what I can do.",
        group=escape(group.name),
        admin=admin_user_id,
    )
    return {"text": text, "blocks": [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]}


def build_member_added(
    tr: Translator, group: EstGroup, member: Membership, *, added_by: str
) -> Message:
    text = tr.gettext(
        "<@{by}> added you to *{group}* for *{org}*. `/est hjälp` shows what you can do.",
        by=added_by,
        group=escape(group.name),
        org=escape(member.organisation.name),
    )
    return {"text": text, "blocks": [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]}


def build_member_left(tr: Translator, note: MemberLeft) -> Message:
    """To the admins (and whoever became admin): a member left the workspace."""
    text = tr.gettext(
        "<@{user}> has left the workspace and is no longer a member of *{group}*.",
        user=note.user_id,
        group=escape(note.group.name),
    )
    if note.promoted:
        text += " " + tr.gettext(
            "They were the last admin, so <@{user}> is admin now. Change it under "
            "`/est inställningar`.",
            user=note.promoted,
        )
    return {"text": text, "blocks": [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]}


def build_channel_archived(tr: Translator, note: ChannelArchived) -> Message:
    if note.archived:
        text = tr.gettext(
            "The channel of *{group}* was archived. The bot posts nothing there any more; the "
            "data is kept. Unarchive the channel to go on.",
            group=escape(note.group.name),
        )
    else:
        text = tr.gettext(
            "The channel of *{group}* is active again, and so is the group.",
            group=escape(note.group.name),
        )
    return {"text": text, "blocks": [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]}


# which builder renders which of the groups' notifications
RENDERERS = renderers(
    rendered(GroupCreated, lambda tr, n: build_group_created(tr, n.group, n.admin_user_id)),
    rendered(JoinRequested, lambda tr, n: build_join_request(tr, n.group, n.member)),
    rendered(
        JoinDecided,
        lambda tr, n: build_join_decided(
            tr, n.group, n.member, approved=n.approved, decided_by=n.decided_by
        ),
    ),
    rendered(
        MemberAdded, lambda tr, n: build_member_added(tr, n.group, n.member, added_by=n.added_by)
    ),
    rendered(MemberLeft, build_member_left),
    rendered(ChannelArchived, build_channel_archived),
)
