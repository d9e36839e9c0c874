from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _

from sentra.accounts import selectors, services
from sentra.accounts.filters import UserFilterSet
from sentra.accounts.forms import PasswordResetByOfficerForm, UserForm
from sentra.accounts.models import User
from sentra.core.errors import ConflictError
from sentra.core.history import record_history
from sentra.core.versioning import form_conflict


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        user = form.user
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Kata sandi berhasil diganti."))
        return response


def profile(request: HttpRequest) -> HttpResponse:
    from sentra.accounts import two_factor

    context = {
        "account": request.user,
        "two_factor_active": two_factor.has_second_factor(request.user),
        "two_factor_required": two_factor.is_required(request.user),
        "recovery_codes_left": two_factor.recovery_codes_left(request.user),
    }
    return render(request, "accounts/profile.html", context)


def user_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("accounts.view_user"):
        raise PermissionDenied
    # The same FilterSet as the export, so the file holds what the page lists.
    filterset = UserFilterSet(request.GET or None, queryset=selectors.user_list(user=request.user), request=request)
    users = filterset.qs.order_by("username", "id")
    query = request.GET.get("q", "").strip()
    return render(request, "accounts/user_list.html", {"users": users[:200], "query": query})


def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User.objects.visible_to(request.user).select_related("region"), pk=pk)
    # A fellow officer is seen, not managed: no edit or reset buttons that would only lead to a 404.
    can_manage = account != request.user and User.objects.visible_to(request.user, "change").filter(pk=pk).exists()
    return render(
        request,
        "accounts/user_detail.html",
        {"account": account, "entries": record_history(account, limit=50), "can_manage": can_manage},
    )


def user_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    action = "change" if pk else "add"
    if not request.user.has_perm(f"accounts.{action}_user"):
        raise PermissionDenied
    account = get_object_or_404(User.objects.visible_to(request.user, "change"), pk=pk) if pk else None
    form = UserForm(request.POST or None, instance=account, actor=request.user)
    status, conflict = 200, None
    if request.method == "POST" and form.is_valid():
        data = form.domain_data("password")
        try:
            if account is None:
                account = services.user_create(actor=request.user, password=form.cleaned_data["password"], **data)
            else:
                account = services.user_update(
                    actor=request.user,
                    user=User.objects.get(pk=account.pk),
                    expected_version=form.expected_version,
                    **data,
                )
                if form.cleaned_data["password"]:
                    services.user_reset_password(
                        actor=request.user, user=account, password=form.cleaned_data["password"]
                    )
        except ConflictError as exc:
            conflict, status = form_conflict(form, exc, user=request.user), 409
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("Tidak diizinkan."))
        else:
            messages.success(request, _("Pengguna {name} disimpan.").format(name=account.username))
            return redirect(account)
    context = {"form": form, "account": account, "conflict": conflict}
    return render(request, "accounts/user_form.html", context, status=status)


def user_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("accounts.change_user"):
        raise PermissionDenied
    account = get_object_or_404(User.objects.visible_to(request.user, "change"), pk=pk)
    form = PasswordResetByOfficerForm(request.POST or None, user=account)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_reset_password(actor=request.user, user=account, password=form.cleaned_data["password"])
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Kata sandi sementara untuk {name} disetel.").format(name=account.username))
            return redirect(account)
    return render(request, "accounts/user_reset_password.html", {"form": form, "account": account})
