"""Funding sources and document kinds are stored in Swedish and shown in the reader's language."""

from bot.activities.results import DOCUMENT_KINDS, FUNDING_SOURCES
from bot.i18n import Translator
from handlers.activities.blocks import document_kind_label, funding_label


def test_labels_follow_the_reader_and_every_stored_value_has_one():
    sv, en = Translator("sv"), Translator("en")
    assert funding_label(sv, "egen budget") == "egen budget"
    assert funding_label(en, "egen budget") == "own budget"
    assert document_kind_label(en, "tillstånd") == "permit"
    assert document_kind_label(sv, "tillstånd") == "tillstånd"
    # every value the forms offer has its own English label (none falls through untranslated)
    assert all(funding_label(en, s) != s for s in FUNDING_SOURCES)
    assert all(document_kind_label(en, k) != k for k in DOCUMENT_KINDS)
