"""Two concurrent edits of the same record, for EVERY edit page: the second is refused, nothing lost.

Generated from the URLconf: every named URL ending in ``_edit`` is an edit page. For each, the scope provider
(tests/<app>/scope_objects.py) creates a record in region A; the test opens the edit form as region A's officer,
saves it once (the other user), then posts the same form again from the version it was loaded with. The second
save must answer 409 with the conflict table, and the first save's value must still be stored. A new edit page
whose form does not carry the version, or whose service does not lock, fails here.

The refused answer also says who changed the record since the version the user loaded, when, and which fields
(``versioning.changes_since``): a second officer of the same role and region saves first, and the 409 names them
by username, role and region (never their full name or phone), with the time in Indonesian format.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import importlib
import pkgutil
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.text import capfirst

import tests
from sentra.core.forms import BootstrapMixin
from sentra.core.models import AuditEvent
from sentra.core.testing import SCOPE_PROVIDERS, walk_urls
from sentra.core.versioning import VersionedFormMixin
from tests.accounts.factories import UserFactory

for module in pkgutil.walk_packages(tests.__path__, "tests."):
    if module.name.endswith(".scope_objects"):
        importlib.import_module(module.name)

EDIT_URLS = [u for u in walk_urls() if u.name.endswith("_edit")]

#: Edit URLs that only take POST: their form is shown on another page (same URL kwargs).
FORM_PAGES = {"budget:allocation_edit": "budget:allocation_detail"}

#: Edit forms only some roles see (the ministry sets allocations); others are opened by region A's officer.
FORM_USERS = {"budget:allocation_edit": "national"}

#: Free-text fields the test may change (first one found in the form is used).
TEXT_FIELDS = (
    "note",
    "notes",
    "problems",
    "vendor",
    "description",
    "competencies",
    "scope",
    "issuer",
    "institution",
    "full_name",
    "address",
    "commodity",
    "caption",
    "title",
    "name",
)


class _Forms(HTMLParser):
    """The forms of a page: action and the values a browser would submit (no JavaScript)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None
        self._textarea_start = False

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        a = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(), "data": {}, "kinds": {}}
            )
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    form["data"].setdefault(name, []).append(a.get("value", "on"))
                return
            form["data"][name] = [a.get("value") or ""]
            form["kinds"][name] = kind
        elif tag == "textarea" and name:
            self._textarea = name
            form["data"][name] = [""]
            self._textarea_start = True
            form["kinds"][name] = "textarea"
        elif tag == "select" and name:
            self._select, self._select_first = name, None
            form["data"].setdefault(name, [])
            form["kinds"][name] = "select"
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                form["data"][self._select].append(value)

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._textarea and self.forms:
            if self._textarea_start and data.startswith("\n"):  # HTML drops one newline after <textarea>
                data = data[1:]
            self._textarea_start = False
            self.forms[-1]["data"][self._textarea][0] += data

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def _edit_form(client, url_name: str, kwargs: dict) -> tuple[str, dict]:
    edit_path = reverse(url_name, kwargs=kwargs)
    page_path = reverse(FORM_PAGES[url_name], kwargs=kwargs) if url_name in FORM_PAGES else edit_path
    page = client.get(page_path)
    assert page.status_code == 200, f"{url_name}: opening {page_path} gave {page.status_code}"
    parser = _Forms()
    parser.feed(page.content.decode())
    forms = [f for f in parser.forms if f["method"] == "post" and (f["action"] or page_path) == edit_path]
    assert forms, f"{url_name}: no POST form to {edit_path} on {page_path}"
    form = forms[0]
    assert "version" in form["data"], f"{url_name}: the edit form does not carry the version (VersionedFormMixin)"
    assert form["data"]["version"][0].isdigit(), f"{url_name}: the version field is empty"
    return edit_path, form


def _with_text(form: dict, field: str, value: str) -> dict:
    data = {k: list(v) for k, v in form["data"].items()}
    data[field] = [value]
    return data


def test_the_walk_found_the_edit_pages():
    names = {u.name for u in EDIT_URLS}
    assert {"registry:business_edit", "centres:unit_edit", "training:batch_edit", "budget:line_edit"} <= names


@pytest.mark.parametrize("url", EDIT_URLS, ids=lambda u: u.name)
def test_second_edit_from_the_same_version_is_refused_and_nothing_is_lost(client, world, url):
    provider = SCOPE_PROVIDERS.get(url.name)
    assert provider is not None, f"{url.name}: register a scope provider in tests/<app>/scope_objects.py"
    kwargs = provider(world)
    client.force_login(getattr(world, FORM_USERS.get(url.name, "officer_a")))
    path, form = _edit_form(client, url.name, kwargs)
    field = _text_field(url.name, form)

    first = client.post(path, _with_text(form, field, "Disimpan pertama"))
    assert first.status_code == 302, f"{url.name}: the first save failed ({first.status_code}): " + (
        str(first.context["form"].errors) if first.context and "form" in first.context else ""
    )

    second = client.post(path, _with_text(form, field, "Disimpan kedua"))  # the version it was loaded with
    assert second.status_code == 409, f"{url.name}: a stale edit was not refused ({second.status_code})"
    html = second.content.decode()
    assert 'data-testid="conflict"' in html and "sejak Anda membukanya" in html, url.name
    assert "Disimpan kedua" in html, f"{url.name}: the refused form lost what the user typed"

    _, again = _edit_form(client, url.name, kwargs)
    assert again["data"][field] == ["Disimpan pertama"], f"{url.name}: the first save was lost"
    assert int(again["data"]["version"][0]) == int(form["data"]["version"][0]) + 1, url.name


def _text_field(url_name: str, form: dict) -> str:
    field = next((f for f in TEXT_FIELDS if form["kinds"].get(f) in ("text", "textarea")), None)
    assert field is not None, f"{url_name}: no free-text field to change; add its name to TEXT_FIELDS"
    return field


def conflict_block(page: str) -> str:
    """The conflict box of an answer (what it says about the change), as HTML."""
    start = page.index('data-testid="conflict"')
    return page[start : page.index("</div>", start)]


def conflict_changes(page: str) -> list[str]:
    """The "who changed it since" lines of a conflict answer, as plain text."""
    found = re.findall(r'<li data-testid="conflict-(?:change|more)">(.*?)</li>', page, re.S)
    return [" ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", line)).split()) for line in found]


#: The other user's label, by the role that opens the form: username (role, region), nothing personal.
OTHER_LABEL = {
    "officer_a": "budi (Petugas kabupaten/kota, Kota Kendari)",
    "national": "budi (Admin nasional (Kementerian))",
}

#: When the other user saved: 29 Nov 2026 10.14 in Kendari's zone as configured (WIB, UTC+7).
CHANGED_AT = dt.datetime(2026, 11, 29, 3, 14, tzinfo=dt.UTC)


@pytest.mark.parametrize("url", EDIT_URLS, ids=lambda u: u.name)
def test_the_refused_edit_names_who_changed_which_fields_and_when(client, world, url):
    kwargs = SCOPE_PROVIDERS[url.name](world)
    role = FORM_USERS.get(url.name, "officer_a")
    viewer = getattr(world, role)
    budi = UserFactory(
        username="budi", role=viewer.role, region_id=viewer.region_id, full_name="Budi Rahasia", phone="081299887766"
    )
    client.force_login(viewer)
    path, form = _edit_form(client, url.name, kwargs)  # the viewer opens the form ...
    field = _text_field(url.name, form)
    other = Client()
    other.force_login(budi)
    _, theirs = _edit_form(other, url.name, kwargs)  # ... so does budi, who saves first
    first = other.post(path, _with_text(theirs, field, "Disimpan Budi"))
    assert first.status_code == 302, f"{url.name}: budi's save failed ({first.status_code})"
    loaded = int(form["data"]["version"][0])
    events = list(AuditEvent.objects.filter(actor=budi, version=loaded + 1))
    assert events, f"{url.name}: budi's change was not recorded with the version it produced"
    AuditEvent.objects.filter(actor=budi).update(at=CHANGED_AT)
    assert len(events) == 1 and events[0].changes, f"{url.name}: budi's change recorded no fields"
    model = events[0].content_type.model_class()
    labels = [_label(model, name) for name in events[0].changes]

    stale = client.post(path, _with_text(form, field, "Disimpan kedua"))
    assert stale.status_code == 409, f"{url.name}: a stale edit was not refused ({stale.status_code})"
    page = stale.content.decode()
    lines = conflict_changes(page)
    assert len(lines) == 1, f"{url.name}: {lines}"
    assert lines[0] == f"Diubah oleh {OTHER_LABEL[role]} pada 29 Nov 2026 10.14: {', '.join(labels)}", url.name
    if field in events[0].changes:  # the field budi typed in is named (some trails record a summary instead)
        assert _label(model, field) in labels, url.name
    assert f"telah diubah oleh {OTHER_LABEL[role]} pada 29 Nov 2026 10.14 sejak Anda membukanya" in html_lib.unescape(
        page
    ), url.name
    block = conflict_block(page)
    assert "Budi Rahasia" not in block and "081299887766" not in block, f"{url.name}: the other user's data leaked"
    assert "Budi Rahasia" not in page and "081299887766" not in page, f"{url.name}: the other user's data leaked"
    assert "Anda sendiri" not in block, url.name


def _label(model: type, name: str) -> str:
    try:
        return capfirst(str(model._meta.get_field(name).verbose_name))
    except Exception:
        return capfirst(name)


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def test_every_model_form_of_a_versioned_model_carries_the_version():
    """A ModelForm over a model with a ``version`` column must add the hidden version (create forms too, harmless)."""
    missing = []
    for form in _subclasses(BootstrapMixin):
        meta = getattr(form, "_meta", None)
        model = getattr(meta, "model", None)
        if not form.__module__.startswith("sentra.") or model is None:
            continue
        fields = {f.name for f in model._meta.concrete_fields}
        if "version" in fields and model._meta.get_field("version").get_internal_type() == "PositiveIntegerField":
            if not issubclass(form, VersionedFormMixin):
                missing.append(f"{form.__module__}.{form.__name__} ({model._meta.label})")
    assert not missing, "edit forms without VersionedFormMixin: " + ", ".join(sorted(missing))
