from __future__ import annotations

from typing import Any, Self

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from sentra.core.querysets import RegionScopedQuerySet, has_model_perm


class SubmissionQuerySet(RegionScopedQuerySet):
    def visible_to(self, user: Any, action: str = "view") -> Self:
        """Officers by region (the base rule). Centre managers and owners see the submissions of the subjects
        they may see themselves (DHIS2: data of your org units), for forms that name their scope kind."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        scope = user.scope
        if user.is_superuser or scope.kind in ("national", "region"):
            return super().visible_to(user, action)
        if not has_model_perm(user, self.model, action):
            return self.none()
        from sentra.periodic.registry import report_forms

        condition = Q(pk__in=[])
        for form in report_forms():
            if scope.kind not in form.reporter_scopes:
                continue
            subjects = form.visible_subjects(user).values("pk")
            condition |= Q(
                form_code=form.code,
                subject_type=ContentType.objects.get_for_model(form.model),
                subject_id__in=subjects,
            )
        return self.filter(condition)
