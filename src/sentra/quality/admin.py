"""Admin site for the national admin: checklist templates and INDI 4.0 questionnaires (versioned data).

A published or retired version is read-only here; "Buat versi baru" copies it into a new draft, which is
edited and then published (the previous one is retired). Assessments keep pointing at their own version.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sentra.quality import services
from sentra.quality.models import (
    ChecklistItem,
    ChecklistSection,
    ChecklistTemplate,
    ChecklistVersion,
    IndiAdvice,
    IndiPillar,
    IndiQuestion,
    IndiVersion,
)


class _DraftOnly:
    """Inlines and pages of a version are editable only while it is a draft."""

    def _editable(self, obj: Any) -> bool:
        version = getattr(obj, "version", None) if not isinstance(obj, ChecklistVersion | IndiVersion) else obj
        if isinstance(obj, ChecklistSection):
            version = obj.version
        return obj is None or version is None or version.status == "draft"

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._editable(obj)  # type: ignore[misc]

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:  # type: ignore[override]
        if obj is not None and not self._editable(obj):
            return False
        try:
            return super().has_add_permission(request, obj)  # type: ignore[misc]
        except TypeError:
            return super().has_add_permission(request)  # type: ignore[misc]

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._editable(obj)  # type: ignore[misc]


class ChecklistSectionInline(_DraftOnly, admin.TabularInline):
    model = ChecklistSection
    extra = 0
    show_change_link = True


class ChecklistItemInline(_DraftOnly, admin.TabularInline):
    model = ChecklistItem
    extra = 1


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "code")
    actions = ["new_version"]

    @admin.action(description=_("Buat versi baru (salinan versi terakhir)"))
    def new_version(self, request: Any, queryset: Any) -> None:
        for template in queryset:
            version = services.checklist_new_version(actor=request.user, template=template)
            messages.info(request, _("Draf {v} siap diubah.").format(v=version))


@admin.register(ChecklistVersion)
class ChecklistVersionAdmin(_DraftOnly, admin.ModelAdmin):
    list_display = ("template", "number", "status", "published_at")
    list_filter = ("template", "status")
    readonly_fields = ("template", "number", "status", "published_at")
    inlines = [ChecklistSectionInline]
    actions = ["publish"]

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:  # type: ignore[override]
        return False  # versions are made with "Buat versi baru"

    @admin.action(description=_("Terbitkan versi draf terpilih"))
    def publish(self, request: Any, queryset: Any) -> None:
        for version in queryset:
            try:
                services.checklist_publish(actor=request.user, version=version)
            except ValidationError as exc:
                messages.error(request, f"{version}: {' '.join(exc.messages)}")
            else:
                messages.success(request, _("{v} diterbitkan.").format(v=version))


@admin.register(ChecklistSection)
class ChecklistSectionAdmin(_DraftOnly, admin.ModelAdmin):
    list_display = ("version", "code", "title", "order")
    list_filter = ("version__template",)
    inlines = [ChecklistItemInline]


class IndiQuestionInline(_DraftOnly, admin.TabularInline):
    model = IndiQuestion
    extra = 0


class IndiPillarInline(_DraftOnly, admin.TabularInline):
    model = IndiPillar
    extra = 0
    show_change_link = True


@admin.register(IndiVersion)
class IndiVersionAdmin(_DraftOnly, admin.ModelAdmin):
    list_display = ("label", "number", "status", "weights_verified")
    inlines = [IndiPillarInline]


@admin.register(IndiPillar)
class IndiPillarAdmin(_DraftOnly, admin.ModelAdmin):
    list_display = ("version", "name", "weight")
    inlines = [IndiQuestionInline]


@admin.register(IndiAdvice)
class IndiAdviceAdmin(admin.ModelAdmin):
    """The advice shown with INDI 4.0 results. Unlike the questions it stays editable on a published version:
    changing advice changes no score; each questionnaire version keeps its own list (through its pillars)."""

    list_display = ("title", "pillar", "min_score", "below_score", "class_kinds", "class_keywords", "updated_at")
    list_filter = ("pillar__version", "pillar__code")
    search_fields = ("title", "text", "class_keywords")
    list_select_related = ("pillar", "pillar__version")
