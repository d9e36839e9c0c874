"""Safety nets for the scope rule (STYLE D.6): every region-owned model can be scoped, and views do not bypass it.

These tests read the code base, so a new model or view that forgets the rule fails here before review.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

import sentra

SRC = Path(sentra.__file__).resolve().parent


#: Models with a ``region`` field that are not region-owned domain data, with the reason.
MODELS_WITHOUT_SCOPE = {
    "reports.SummaryState": "bookkeeping of when each regency's summary was recomputed; never listed to users",
}


def test_every_model_with_a_region_has_visible_to():
    missing = []
    checked = 0
    for model in apps.get_models():
        if model._meta.abstract or model._meta.proxy or not model.__module__.startswith("sentra."):
            continue
        try:
            field = model._meta.get_field("region")
        except FieldDoesNotExist:
            continue
        if not field.concrete:
            continue
        checked += 1
        queryset = model._default_manager.all()
        if not callable(getattr(queryset, "visible_to", None)) and model._meta.label not in MODELS_WITHOUT_SCOPE:
            missing.append(model._meta.label)
    assert checked >= 3  # registry.Business, registry.Owner, accounts.User at least
    assert not missing, f"models with a region but no visible_to on their default manager: {missing}"


# Lines that are safe by construction. Everything else that touches ``Model.objects.`` in a view or in the API
# must read through ``visible_to`` (or a selector that does), or be listed in ALLOWED with its reason.
SAFE_PATTERNS = {
    r"\.objects\.visible_to\(": "the scope mechanism itself",
    r"scoped_get_or_404\(": "fetched through visible_to (404 outside the scope)",
    r"\b(Region|Kbli|ContentType|FiscalYear)\.objects\.": "public reference data (regions, KBLI, fiscal years)",
    r"\.objects\.none\(\)": "an empty queryset",
    r"\b\w*(user|recipient)\s*=\s*request\.user\b": "rows of the requesting user only",
    r"\b(centre=centre|batch=batch|participant__batch=batch|participant=participant|line=line)\b": (
        "a child row of a parent already fetched through visible_to"
    ),
}

#: Justified exceptions: (file relative to src/sentra, a snippet of the line) -> reason.
ALLOWED = {
    ("registry/views.py", "Owner.objects.filter(nik=nik).exists()"): (
        "only says that the NIK exists elsewhere, so the officer gets a clear message; nothing about the owner leaks"
    ),
    ("api/routers/registry.py", "Owner.objects.filter(nik=nik).exists()"): "the same NIK existence check in the API",
    ("accounts/views.py", "User.objects.get(pk=account.pk)"): (
        "a fresh copy of a user already fetched through User.objects.visible_to(..., 'change')"
    ),
    ("api/services.py", "ApiToken.objects"): "token authentication looks tokens up by prefix before any user exists",
    ("products/views.py", 'Centre.objects.select_related("region").filter(pk=pk).only("id", "name", "commodity"'): (
        "the public catalogue page of a centre: only its name, commodity and regency, which the catalogue publishes"
    ),
    (
        "training/views.py",
        'Batch.objects.select_related("programme", "region").filter(pk=pk, status=BatchStatus.OPEN)',
    ): ("the public application form of an open batch"),
    ("quality/views.py", "ChecklistTemplate.objects"): "national checklist catalogue, not region-owned",
    ("quality/views.py", "ChecklistVersion.objects"): "national checklist catalogue, not region-owned",
    ("quality/views.py", "IndiQuestion.objects.filter(pillar__version=assessment.questionnaire)"): (
        "national INDI 4.0 questionnaire, not region-owned"
    ),
    (
        "budget/views.py",
        'Fund.objects.select_related("fiscal_year")',
    ): "national DAK funds (ceilings), not region-owned",
    ("budget/views.py", "Fund.objects.filter(pk=self.object.fund_id)"): "the fund of an allocation fetched in scope",
    ("budget/views.py", "Fund.objects.filter(pk=allocation.fund_id)"): "the fund of an allocation fetched in scope",
    ("budget/views.py", "Allocation.objects.filter(fund=fund).aggregate"): (
        "a fund's national allocated total next to its ceiling: one sum, no rows shown (budget owner to confirm)"
    ),
}

OBJECTS = re.compile(r"\b\w+\.objects\.")


def _files():
    yield from sorted(SRC.glob("*/views.py"))
    yield from sorted((SRC / "api").rglob("*.py"))


def test_views_and_api_read_through_visible_to():
    offenders = []
    for path in _files():
        rel = path.relative_to(SRC).as_posix()
        if "/migrations/" in rel:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            code = line.split("#", 1)[0]
            if not OBJECTS.search(code):
                continue
            # A statement may continue on the next lines (chained calls): judge it with them.
            statement = " ".join(lines[number - 1 : number + 3])
            if any(re.search(p, statement) for p in SAFE_PATTERNS):
                continue
            if any(file == rel and snippet in statement for (file, snippet) in ALLOWED):
                continue
            offenders.append(f"{rel}:{number}: {line.strip()}")
    assert not offenders, (
        "Model.objects used in a view/API without visible_to (STYLE D.6). Read through a selector or "
        "Model.objects.visible_to(user, action), or add a justified entry to ALLOWED:\n" + "\n".join(offenders)
    )


def test_the_grep_catches_a_bypass(tmp_path):
    """The net has no hole: a plain ``Business.objects.filter(...)`` line is reported."""
    line = "    rows = Business.objects.filter(region_id=request.GET['r'])"
    assert OBJECTS.search(line)
    assert not any(re.search(p, line) for p in SAFE_PATTERNS)
