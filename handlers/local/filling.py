"""Filling in what the bot asks for at the console's prompt: a modal's fields one by one, the
choice of a select pressed in a message, a person by name.

Person fields list the people of the workspace (the local Slack's users list) and take a name;
external selects (places, the motivation of an activity) list the bot's own suggestions, fetched
the way Slack fetches them (a `block_suggestion` request carrying what is filled in so far), and
take a number or a word to search them for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from bot.demo.workspace import DEMO_TEAM
from handlers.local import slack_requests as sr
from handlers.local.answers import person_id, state_entry
from handlers.local.fields import (
    PEOPLE,
    SUGGESTED,
    Field,
    element_field,
    option_pair,
    prompt_labels,
    view_fields,
)
from handlers.local.mrkdwn import dicts
from handlers.local.render import render_view
from handlers.local.targets import PICKED, Target

if TYPE_CHECKING:
    from handlers.local.console import Console

SHOWN_SUGGESTIONS = 25  # listed at once; a word typed searches them all
CANCEL = ":avbryt"
Values = dict[str, Any]


class FormFiller:
    def __init__(self, console: Console) -> None:
        self.console = console

    # --- modals ---------------------------------------------------------------------------

    def fill(self, view: dict[str, Any]) -> None:
        """Show the modal, ask for each field, submit; a refused field is asked again, with
        what the bot said under it; everything else typed is kept."""
        fields = [self._with_people(f) for f in view_fields(view)]
        self.console.print(render_view(view, fields=fields))
        labels = prompt_labels(view)
        fields = [replace(f, label=labels.get(f.block_id, f.label)) for f in fields]
        values = self.answers(fields, {}, view)
        while values is not None:
            body = self.console.send(self._submission(view, values))
            self.console._show_responses()
            errors = body.get("errors") if body.get("response_action") == "errors" else None
            if not errors:
                self._after(body)
                return
            numbered = {f.block_id: (n, f) for n, f in enumerate(fields, 1)}
            for block_id, message in errors.items():
                n, f = numbered.get(block_id, (0, None))
                self.console.print(f"⚠ {n}. {f.label}: {message}" if f else f"⚠ {message}")
            again = [numbered[b][1] for b in errors if b in numbered]
            values = self.answers(again, values, view) if again else None
        self.console.print("(formuläret avbröts; inget skickades)")

    def _submission(self, view: dict[str, Any], values: Values) -> sr.SignedRequest:
        console = self.console
        return sr.view_submission(
            view, values, secret=console.secret, user_id=console.user, team_id=DEMO_TEAM
        )

    def _after(self, body: dict[str, Any]) -> None:
        """What Slack does with the acknowledgement of a submission."""
        if body.get("response_action") in ("update", "push") and isinstance(body.get("view"), dict):
            self.console.views.insert(0, body["view"])
        elif body.get("text") or body.get("blocks"):
            self.console._show("bara för dig", body, self.console.channel)
        else:
            self.console.print("(formuläret skickades och stängdes)")

    def answers(
        self, fields: Sequence[Field], values: Values, view: dict[str, Any] | None
    ) -> Values | None:
        """Ask for each of `fields`; the state values with them added, or None if cancelled."""
        values = dict(values)
        for number, f in enumerate(fields, 1):
            entry = self._answer(number, f, values, view)
            if entry is None:
                return None
            values[f.block_id] = {f.action_id: entry}
        return values

    def _answer(
        self, number: int, f: Field, values: Values, view: dict[str, Any] | None, typed: str = ""
    ) -> dict[str, Any] | None:
        """One field's state value, asked until it fits; None if cancelled. Number 0 is a
        select pressed in a message, asked for without a number."""

        def suggest(query: str) -> tuple[tuple[str, str], ...]:
            return self.suggestions(f, query, values, view)

        if f.kind in SUGGESTED:
            f = replace(f, options=_merged(f.options, suggest("")))
            self._list_suggestions(f"{number}. {f.label}" if number else f.label, f)
        while True:
            answer = typed or self.console.ask(
                f"{number}. {f.label}: " if number else f"{f.label}: "
            )
            typed = ""
            if answer.strip() == CANCEL:
                return None
            try:
                return state_entry(f, answer, suggest=suggest if f.kind in SUGGESTED else None)
            except ValueError as error:
                self.console.print(f"  {error}")

    def _list_suggestions(self, name: str, f: Field) -> None:
        if not f.options:
            self.console.print(f"{name}: inga förslag; skriv ett ord för att söka")
            return
        shown = f.options[:SHOWN_SUGGESTIONS]
        lines = [f"{name}, förslag:"]
        lines += [f"   {i}) {text}" for i, (_, text) in enumerate(shown, 1)]
        if len(f.options) > len(shown):
            rest = len(f.options) - len(shown)
            lines.append(f"   … och {rest} till: skriv ett ord för att söka bland alla")
        self.console.print("\n".join(lines))

    def suggestions(
        self, f: Field, query: str, values: Values, view: dict[str, Any] | None
    ) -> tuple[tuple[str, str], ...]:
        """What the bot suggests for `query` in an external select, asked as Slack asks."""
        console = self.console
        request = sr.block_suggestion(
            f.action_id,
            query,
            secret=console.secret,
            user_id=console.user,
            team_id=DEMO_TEAM,
            block_id=f.block_id,
            view=view,
            values=values,
            channel_id=console.channel,
        )
        body = console.send(request)
        groups = [*dicts(body.get("option_groups")), {"options": body.get("options")}]
        return tuple(option_pair(o) for g in groups for o in dicts(g.get("options")))

    # --- people ---------------------------------------------------------------------------

    def people(self) -> tuple[tuple[str, str], ...]:
        return tuple((p.id, p.label) for p in self.console.people.values())

    def person(self, typed: str) -> str:
        """A Slack user id from a name, a number in the list of people or an id."""
        return person_id(self.people(), typed)

    def _with_people(self, f: Field) -> Field:
        return replace(f, options=self.people()) if f.kind in PEOPLE and self.people() else f

    # --- a select pressed in a message ----------------------------------------------------

    def choose(self, target: Target, typed: str) -> dict[str, Any] | None:
        """The action's own fields for what was pressed; None if nothing is to be sent."""
        if target.kind == "overflow":
            return {"type": "overflow", "selected_option": target.option}
        if target.kind not in PICKED:
            return {}
        f = self._with_people(
            element_field(target.element, block_id=target.block_id, label=target.label or "Välj")
        )
        if f.options and f.kind not in SUGGESTED:
            lines = [f"   {i}) {text}" for i, (_, text) in enumerate(f.options, 1)]
            self.console.print("\n".join(lines))
        entry = self._answer(0, replace(f, optional=False), {}, target.view, typed)
        if entry is None:
            self.console.print("(inget valdes)")
        return entry


def _merged(first: Sequence[tuple[str, str]], more: Sequence[tuple[str, str]]) -> tuple[Any, ...]:
    seen = {value for value, _ in first}
    return (*first, *(o for o in more if o[0] not in seen))
