"""Two concurrent edits of the same record, for EVERY edit page (issue #10): the second is refused, nothing lost.

Generated from the URLconf: every named URL ending in ``_edit`` is an edit page. For each, the scope provider
(tests/<app>/scope_objects.py) creates a record in region A; the test opens the edit form as region A's officer,
saves it once (the other user), then posts the same form again from the version it was loaded with. The second
save must answer 409 with the conflict table, and the first save's value must still be stored. A new edit page
whose form does not carry the version, or whose service does not lock, fails here.
"""

from __future__ import annotations

import importlib
import pkgutil
from html.parser import HTMLParser

import pytest
from django.urls import reverse

import tests
from sentra.core.forms import BootstrapMixin
from sentra.core.testing import SCOPE_PROVIDERS, walk_urls
from sentra.core.versioning import VersionedFormMixin

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
    field = next((f for f in TEXT_FIELDS if form["kinds"].get(f) in ("text", "textarea")), None)
    assert field is not None, f"{url.name}: no free-text field to change; add its name to TEXT_FIELDS"

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
