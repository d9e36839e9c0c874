"""One write-scope check: services call ``core.scope.ensure_in_scope`` and define no scope helper of their own.

The scan below reads every ``src/sentra/*/services.py`` and fails on a private function that checks scope itself:
by its name (``_check_scope``, ``_ensure_..._scope``, ``_in_scope``, ``_require_..._scope``, ``_check_region``)
or by what it does (reads ``scope.region_ids`` / ``scope.covers_region``, or compares a ``.region``/``.region_id``
with something taken from a scope). The scanner is tested on copies that still hold such a helper, so it cannot
pass by finding nothing.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from sentra.core.scope import OutOfScope, ensure_in_scope
from sentra.registry.models import Business
from tests.registry.factories import BusinessFactory

SRC = Path(__file__).resolve().parents[2] / "src" / "sentra"
HELPER_NAME = re.compile(r"^_(check_scope|ensure_\w*scope|\w*in_scope|require_\w*scope|check_region|check_regions)$")
SCOPE_ATTRIBUTES = {"region_ids", "covers_region"}


def _mentions(node: ast.AST, names: set[str]) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Attribute) and sub.attr in names:
            return True
    return False


def _names(node: ast.AST, names: set[str]) -> bool:
    return _mentions(node, names) or any(isinstance(s, ast.Name) and s.id in names for s in ast.walk(node))


def private_scope_helpers(source: str) -> list[str]:
    """Names of the module's private functions that check scope on their own."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or not node.name.startswith("_"):
            continue
        if HELPER_NAME.match(node.name):
            found.append(node.name)
            continue
        if _mentions(node, SCOPE_ATTRIBUTES):
            found.append(node.name)
            continue
        for sub in ast.walk(node):
            if isinstance(sub, ast.Compare):
                sides = [sub.left, *sub.comparators]
                if any(_mentions(s, {"region", "region_id"}) for s in sides) and any(
                    _names(s, {"scope"}) for s in sides
                ):
                    found.append(node.name)
                    break
    return found


def service_modules() -> list[Path]:
    return sorted(SRC.glob("*/services.py"))


def test_services_define_no_private_scope_helper():
    offenders = {
        str(path.relative_to(SRC)): names
        for path in service_modules()
        if (names := private_scope_helpers(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}, f"call sentra.core.scope.ensure_in_scope instead of: {offenders}"


def test_the_services_of_the_scoped_apps_call_ensure_in_scope():
    for app in ("registry", "training", "budget", "quality", "centres"):
        assert "ensure_in_scope(" in (SRC / app / "services.py").read_text(encoding="utf-8"), app


OLD_HELPERS = {
    "by name": """
def _check_region(actor, model, region, action):
    return None
""",
    "region ids": """
def _check(actor, model, action, region_id):
    scope = actor.scope
    if scope.kind == "region" and region_id in scope.region_ids:
        return
    raise PermissionDenied
""",
    "covers_region": """
def _check(actor, region_id, perm):
    if not actor.scope.covers_region(region_id):
        raise PermissionDenied
""",
    "compared": """
def _guard(actor, business):
    if business.region_id != actor.scope.label:
        raise PermissionDenied
""",
    "in_scope name": """
def _require_in_scope(actor, obj, action):
    if not type(obj).objects.visible_to(actor, action).filter(pk=obj.pk).exists():
        raise PermissionDenied
""",
}


@pytest.mark.parametrize("case", sorted(OLD_HELPERS))
def test_the_scan_finds_a_helper_in_a_copy_of_a_service_module(case):
    """A copy of the registry's services with a private helper added must fail the scan."""
    source = (SRC / "registry" / "services.py").read_text(encoding="utf-8")
    assert private_scope_helpers(source) == []
    assert private_scope_helpers(source + "\n\n" + OLD_HELPERS[case]) != []


def test_the_scan_leaves_ordinary_private_functions_alone():
    source = """
def _derive_location(obj):
    if obj.village is not None:
        obj.region_id = obj.village.code[:5]

def _check_move(actor, before, obj):
    if obj.region_id == before:
        return
"""
    assert private_scope_helpers(source) == []


# --- the function itself ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_ensure_in_scope_rows_and_regions(officer_region_a, officer_region_b, national_admin, owner_user):
    business = BusinessFactory()  # Kota Kendari, 74.71
    ensure_in_scope(officer_region_a, business, "change")
    ensure_in_scope(officer_region_a, "74.71", "add", model=Business)
    ensure_in_scope(national_admin, business, "change")
    ensure_in_scope(None, business, "delete")  # the system
    with pytest.raises(OutOfScope) as exc:
        ensure_in_scope(officer_region_b, business, "change")
    # One error: a field error for forms, a 404 for pages and the API.
    assert isinstance(exc.value, ValidationError) and isinstance(exc.value, Http404)
    assert exc.value.error_dict["region"][0].code == "out_of_scope"
    with pytest.raises(OutOfScope):
        ensure_in_scope(officer_region_b, "74.71", "add", model=Business)
    with pytest.raises(OutOfScope):
        ensure_in_scope(officer_region_a, None, "add", model=Business)
    # A row moved in memory out of the officer's regencies is refused before it is saved.
    business.region_id = "74.72"
    with pytest.raises(OutOfScope):
        ensure_in_scope(officer_region_a, business, "change")
    # An owner may not add a business at all (a permission, not a scope, question).
    with pytest.raises(PermissionDenied):
        ensure_in_scope(owner_user, "74.71", "add", model=Business)


@pytest.mark.django_db
def test_ensure_in_scope_follows_the_relation_for_owners(owner_user):
    from sentra.registry.models import Owner, Ownership

    mine = BusinessFactory()
    other = BusinessFactory()
    owner = Owner.objects.create(full_name="Pemilik", region_id="74.71", user=owner_user)
    Ownership.objects.create(business=mine, owner=owner)
    if owner_user.has_perm("registry.change_business"):
        ensure_in_scope(owner_user, mine, "change")
        with pytest.raises(OutOfScope):
            ensure_in_scope(owner_user, other, "change")
    else:
        with pytest.raises(PermissionDenied):
            ensure_in_scope(owner_user, mine, "change")


def test_an_uncaught_out_of_scope_answers_404(rf):
    from django.core.handlers.exception import response_for_exception

    response = response_for_exception(rf.post("/usaha/1/hapus/"), OutOfScope())
    assert response.status_code == 404


def test_the_api_answers_out_of_scope_with_404_not_422(rf):
    import json

    from sentra.api.main import api

    response = api.on_exception(rf.post("/api/v1/businesses"), OutOfScope())
    assert response.status_code == 404
    assert json.loads(response.content)["code"] == "not_found"


def test_a_form_shows_out_of_scope_on_the_region_field():
    from django import forms

    from sentra.core.forms import add_service_errors

    class RegionForm(forms.Form):
        region = forms.CharField()

    form = RegionForm({"region": "74.72"})
    assert form.is_valid()
    add_service_errors(form, OutOfScope())
    assert form.errors["region"] == ["Wilayah berada di luar cakupan Anda."]
