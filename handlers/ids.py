"""Every action_id, block_id and callback_id the bot uses, in one place."""

from enum import StrEnum


class Callback(StrEnum):
    CREATE_GROUP = "group_create"
    EDIT_GROUP = "group_edit"
    ADD_ORGANISATION = "organisation_add"
    ADD_MEMBER = "member_add"
    JOIN = "group_join"
    LOG_INCIDENT_SHORTCUT = "log_incident_from_message"


class Action(StrEnum):
    OPEN_CREATE_GROUP = "group_create_open"
    OPEN_EDIT_GROUP = "group_edit_open"
    OPEN_ADD_ORGANISATION = "organisation_add_open"
    OPEN_ADD_MEMBER = "member_add_open"
    OPEN_JOIN = "group_join_open"
    APPROVE_JOIN = "join_approve"
    REJECT_JOIN = "join_reject"
    # modal inputs
    NAME = "name"
    LANGUAGE = "language"
    TIMEZONE = "timezone"
    ORGANISATION = "organisation"
    KIND = "kind"
    USER = "user"
    ROLE = "role"


class Block(StrEnum):
    NAME = "name"
    LANGUAGE = "language"
    TIMEZONE = "timezone"
    ORGANISATION = "organisation"
    KIND = "kind"
    USER = "user"
    ROLE = "role"
    SETTINGS_ACTIONS = "settings_actions"
    JOIN_DECISION = "join_decision"
