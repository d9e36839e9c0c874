"""English is the second language: the catalogue is complete, keeps every placeholder, and pages switch."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.urls import reverse

PO = Path(__file__).resolve().parents[2] / "src" / "sentra" / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"\{[a-zA-Z_0-9]*\}|%\([a-z_0-9]+\)[sd]|%[sd]")


def _catalog():
    with PO.open("rb") as fh:
        return read_po(fh, locale="en")


def test_every_message_has_an_english_translation():
    missing = [
        m.id for m in _catalog() if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    assert not missing, f"{len(missing)} untranslated, e.g. {missing[:5]}"


def test_translations_keep_their_placeholders():
    wrong = []
    for m in _catalog():
        if not m.id:
            continue
        pairs = zip(m.id, m.string, strict=False) if isinstance(m.id, tuple) else [(m.id, m.string)]
        for source, text in pairs:
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text or "")):
                wrong.append(source)
    assert not wrong, wrong[:5]


@pytest.mark.django_db
def test_pages_are_indonesian_by_default_and_english_on_request(client, settings):
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Masuk ke Sentra" in page.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("accounts:login")).content.decode()
    assert "Masuk ke Sentra" not in english
    assert 'lang="en"' in english
