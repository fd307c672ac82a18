"""The console's workspace: the people in it (the local Slack's users list) and who you are."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from slack_sdk import WebClient

from bot.actors import Actor
from bot.demo.workspace import DEMO_CHANNEL, DEMO_MEMBERS
from handlers.local.localslack import LocalSlack

ROLE_WORDS = {"admin": "administratör", "medlem": "medlem", "läsare": "läsare"}
CHANNELS = {DEMO_CHANNEL: "est-botkyrka"}  # the console's channels by id, named as in Slack
_MENTION = re.compile(r"@([UW][A-Z0-9]{2,})\b")
_CHANNEL = re.compile(r"#([CG][A-Z0-9]{2,})\b")


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    title: str = ""

    @property
    def label(self) -> str:
        """'Erik Johansson, kommunpolis', as the demo introduces people."""
        return f"{self.name}, {self.title}" if self.title else self.name


def add_demo_people(slack: LocalSlack) -> None:
    """The demo group's members as people of the local Slack, with their names and titles."""
    for user_id, label, _organisation, _role in DEMO_MEMBERS:
        name, _, title = label.partition(", ")
        slack.add_user(user_id, name, title=title)


def directory(client: WebClient) -> dict[str, Person]:
    """Everyone in the workspace but bots and the departed, read as Slack pages ``users.list``."""
    people: dict[str, Person] = {}
    cursor = ""
    while True:
        page = client.users_list(cursor=cursor, limit=200)
        for user in page.get("members") or []:
            if user.get("deleted") or user.get("is_bot"):
                continue
            profile = user.get("profile") or {}
            name = user.get("real_name") or profile.get("real_name") or user["id"]
            people[user["id"]] = Person(user["id"], name, profile.get("title") or "")
        cursor = (page.get("response_metadata") or {}).get("next_cursor") or ""
        if not cursor:
            return people


def with_names(text: str, people: Mapping[str, Person]) -> str:
    """`@U0ERIK` as `@Erik Johansson`, `#C0EST` as `#est-botkyrka`: the console shows people
    and channels as Slack does, by name."""
    text = _MENTION.sub(lambda m: "@" + (p.name if (p := people.get(m[1])) else m[1]), text)
    return _CHANNEL.sub(lambda m: "#" + CHANNELS.get(m[1], m[1]), text)


def channel_id(typed: str) -> str:
    """`:kanal est-botkyrka`, `:kanal #est-botkyrka` or `:kanal C0EST`: the channel's id."""
    name = typed.strip().lstrip("#")
    return next((cid for cid, known in CHANNELS.items() if known == name.lower()), name)


def identity(actor: Actor, person: Person | None) -> str:
    """Who you are now, as `:som` says it: name, organisation and role in the group here."""
    who = person.label if person is not None else actor.user_id
    group, member = actor.group, actor.member
    if group is None:
        return f"Du är nu {who}. I #{actor.channel_id} finns ingen EST-grupp."
    if member is None:
        return (
            f"Du är nu {who}, inte med i {group.name}. "
            "Be om att få gå med: /est gå med <organisation>."
        )
    role = ROLE_WORDS.get(member.role, member.role)
    if member.status == "pending":
        role += ", väntar på godkännande"
    elif member.status != "active":
        role += ", inte längre aktiv"
    return f"Du är nu {who} ({member.organisation.name}, {role}) i {group.name}."
