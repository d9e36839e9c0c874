"""Permissions come from the user's role group, so a role change takes effect without touching user.groups."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet

from sentra.accounts.roles import group_name


class RoleBackend(ModelBackend):
    def _get_group_permissions(self, user_obj: Any) -> QuerySet[Permission]:
        return Permission.objects.filter(Q(group__name=group_name(user_obj.role)) | Q(group__user=user_obj))
