"""Checklist versions, assessments (scores, comparison), findings and corrective actions (CAPA)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sentra.accounts.roles import Role
from sentra.core.scope import OutOfScope
from sentra.quality import services
from sentra.quality.models import Assessment, ChecklistItem, CorrectiveAction, Finding
from tests.accounts.factories import UserFactory
from tests.quality.factories import PNG, iso_version, make_action, make_assessment, make_finding, score_all
from tests.registry.factories import BusinessFactory

pytestmark = pytest.mark.django_db


class TestVersionedTemplates:
    def test_seeded_templates_are_published(self):
        from sentra.quality.models import ChecklistTemplate

        codes = set(ChecklistTemplate.objects.values_list("code", flat=True))
        assert {"iso-9001", "cppob", "pengelolaan-sentra"} <= codes
        assert iso_version().sections.count() == 7

    def test_old_assessment_keeps_its_old_checklist(self, national_admin):
        v1 = iso_version()
        old = make_assessment(checklist=v1)
        old_items = list(old.answers.values_list("item__text", flat=True).order_by("item_id"))
        draft = services.checklist_new_version(actor=national_admin, template=v1.template)
        assert draft.number == 2 and draft.status == "draft"
        # Admin edits the draft: reword an item, drop another, add one.
        first = ChecklistItem.objects.filter(section__version=draft).order_by("pk").first()
        first.text = "Isu internal dan eksternal DIKAJI ULANG setiap tahun."
        first.save()
        ChecklistItem.objects.filter(section__version=draft).order_by("-pk").first().delete()
        ChecklistItem.objects.create(section=first.section, order=9, code="4.9", text="Butir baru versi 2")
        draft = services.checklist_publish(actor=national_admin, version=draft)
        v1.refresh_from_db()
        assert v1.status == "retired"
        assert old.answers.count() == len(old_items)
        assert list(old.answers.values_list("item__text", flat=True).order_by("item_id")) == old_items
        assert ChecklistItem.objects.filter(section__version=v1).count() == len(old_items)
        new = make_assessment(checklist=draft)
        texts = set(new.answers.values_list("item__text", flat=True))
        assert "Butir baru versi 2" in texts and first.text in texts
        assert first.text not in old_items

    def test_published_version_cannot_be_edited_or_republished(self, national_admin):
        v1 = iso_version()
        with pytest.raises(ValidationError):
            services.require_draft(v1)
        with pytest.raises(ValidationError):
            services.checklist_publish(actor=national_admin, version=v1)

    def test_only_admin_makes_versions(self, world):
        with pytest.raises(PermissionDenied):
            services.checklist_new_version(actor=world.officer_a, template=iso_version().template)

    def test_retired_version_cannot_start_assessment(self, national_admin, world):
        v1 = iso_version()
        draft = services.checklist_new_version(actor=national_admin, template=v1.template)
        with pytest.raises(ValidationError):
            make_assessment(checklist=draft, actor=world.officer_a)


class TestAssessment:
    def test_officer_fills_and_completes_through_the_page(self, client_for, world):
        business = BusinessFactory()
        client = client_for(world.officer_a)
        response = client.post(
            reverse("quality:assessment_add", args=[business.pk]),
            {"checklist": iso_version().pk, "assessed_on": "2024-05-01", "phase": ""},
        )
        assessment = Assessment.objects.get()
        assert response.url == reverse("quality:assessment_fill", args=[assessment.pk])
        answers = list(assessment.answers.all())
        data = {f"score-{a.pk}": "3" for a in answers}
        data[f"score-{answers[0].pk}"] = ""
        data[f"na-{answers[0].pk}"] = "on"
        data[f"score-{answers[1].pk}"] = "1"
        data[f"note-{answers[1].pk}"] = "Belum ada SOP"
        data[f"photo-{answers[1].pk}"] = SimpleUploadedFile("x.png", PNG, content_type="image/png")
        data["complete"] = "1"
        response = client.post(reverse("quality:assessment_fill", args=[assessment.pk]), data)
        assessment.refresh_from_db()
        assert assessment.status == "completed"
        # 17 items, 16 applicable: 15 × 3 + 1 = 46 of 64.
        assert assessment.total_score == Decimal("71.88")
        detail = client.get(assessment.get_absolute_url())
        assert detail.status_code == 200
        assert detail.context["total"] == Decimal("71.88")

    def test_complete_refuses_unanswered_items(self, world):
        assessment = make_assessment(actor=world.officer_a)
        with pytest.raises(ValidationError) as exc:
            services.assessment_complete(actor=world.officer_a, assessment=assessment)
        assert "belum dinilai" in str(exc.value)
        assessment.refresh_from_db()
        assert assessment.status == "draft"

    def test_bad_score_changes_nothing(self, client_for, world):
        assessment = make_assessment(actor=world.officer_a)
        a = assessment.answers.first()
        response = client_for(world.officer_a).post(
            reverse("quality:assessment_fill", args=[assessment.pk]), {f"score-{a.pk}": "7"}
        )
        assert response.status_code == 422
        a.refresh_from_db()
        assert a.score is None

    def test_bad_photo_type_is_refused(self, world):
        assessment = make_assessment(actor=world.officer_a)
        a = assessment.answers.first()
        with pytest.raises(ValidationError):
            services.assessment_record_answers(
                actor=world.officer_a,
                assessment=assessment,
                answers={a.pk: services.AnswerInput(score=2, photo=SimpleUploadedFile("x.png", b"GIF89a...."))},
            )

    def test_completed_assessment_is_frozen(self, world):
        assessment = make_assessment(actor=world.officer_a)
        score_all(assessment, 2)
        services.assessment_complete(actor=world.officer_a, assessment=assessment)
        with pytest.raises(ValidationError):
            services.assessment_record_answers(
                actor=world.officer_a,
                assessment=assessment,
                answers={assessment.answers.first().pk: services.AnswerInput(4)},
            )

    def test_reassessment_shows_improvement_per_item(self, client_for, world):
        business = BusinessFactory()
        before = make_assessment(business=business, actor=world.officer_a, assessed_on=dt.date(2022, 7, 18))
        score_all(before, 1)
        services.assessment_complete(actor=world.officer_a, assessment=before)
        after = make_assessment(business=business, actor=world.officer_a, assessed_on=dt.date(2022, 10, 20))
        score_all(after, 3)
        improved = after.answers.select_related("item").get(item__code="4.1")
        improved.score = 4
        improved.save()
        services.assessment_complete(actor=world.officer_a, assessment=after)
        response = client_for(world.officer_a).get(after.get_absolute_url())
        assert response.context["previous"] == before
        changes = {c.answer.item.code: c.change for c in response.context["comparison"]}
        assert changes["4.1"] == 3 and changes["5.2"] == 2
        # 25.00% before; (16 × 3 + 4) / 68 = 76.47% after.
        assert response.context["total_change"] == Decimal("51.47")

    def test_trainer_assesses_and_sees_only_own(self, client_for, world, trainer):
        business = BusinessFactory()
        mine = make_assessment(business=business, actor=trainer)
        other = make_assessment(business=business, actor=world.officer_a)
        client = client_for(trainer)
        listed = {a.pk for a in client.get(reverse("quality:assessment_list")).context["page"]}
        assert listed == {mine.pk}
        assert client.get(other.get_absolute_url()).status_code == 404
        assert client.get(reverse("quality:assessment_fill", args=[mine.pk])).status_code == 200

    def test_other_region_cannot_assess(self, world):
        with pytest.raises(OutOfScope):
            make_assessment(actor=world.officer_b)


class TestCapa:
    def _action(self, world, owner_user=None, due=dt.date(2030, 1, 1)):
        return make_action(actor=world.officer_a, responsible=owner_user or world.officer_a, due_on=due)

    def test_happy_path_owner_done_officer_verifies(self, world, owner_user):
        from tests.registry.factories import OwnerFactory

        assessment = make_assessment(business=BusinessFactory(owners=[OwnerFactory(user=owner_user)]))
        finding = make_finding(assessment=assessment)
        action = services.action_create(
            actor=world.officer_a,
            finding=finding,
            description="SOP",
            responsible=owner_user,
            due_on=dt.date(2030, 1, 1),
        )
        services.action_transition(actor=owner_user, action=action, to="in_progress")
        services.action_transition(actor=owner_user, action=action, to="done", note="SOP ditempel di dinding")
        with pytest.raises(PermissionDenied):
            services.action_transition(actor=owner_user, action=action, to="verified")
        action.refresh_from_db()
        assert action.status == "done"
        services.action_transition(actor=world.officer_a, action=action, to="verified")
        action.refresh_from_db()
        assert action.status == "verified" and action.verified_by == world.officer_a

    @pytest.mark.parametrize(
        ("start", "target"),
        [
            ("open", "verified"),
            ("in_progress", "open"),
            ("in_progress", "verified"),
            ("verified", "done"),
            ("verified", "open"),
            ("done", "open"),
            ("open", "bogus"),
        ],
    )
    def test_illegal_transitions_are_refused(self, world, start, target):
        action = self._action(world)
        extra = {"verified_at": dt.datetime(2025, 1, 1, tzinfo=dt.UTC)} if start == "verified" else {}
        CorrectiveAction.objects.filter(pk=action.pk).update(status=start, **extra)
        action.refresh_from_db()
        with pytest.raises(ValidationError):
            services.action_transition(actor=world.officer_a, action=action, to=target)
        action.refresh_from_db()
        assert action.status == start

    def test_send_back_needs_a_reason(self, world):
        action = self._action(world)
        services.action_transition(actor=world.officer_a, action=action, to="done")
        with pytest.raises(ValidationError):
            services.action_transition(actor=world.officer_a, action=action, to="in_progress")
        services.action_transition(actor=world.officer_a, action=action, to="in_progress", note="Foto belum ada")
        assert action.status == "in_progress"

    def test_responsible_must_be_owner_or_officer_of_region(self, world):
        stranger = UserFactory(username="lain", role=Role.BUSINESS_OWNER, region_id="74.71")
        with pytest.raises(ValidationError):
            self._action(world, owner_user=stranger)
        with pytest.raises(ValidationError):
            self._action(world, owner_user=world.officer_b)
        assert not CorrectiveAction.objects.exists()

    def test_overdue_list(self, client_for, world):
        late = self._action(world, due=dt.date.today() - dt.timedelta(days=1))
        due_today = self._action(world, due=dt.date.today())
        done_late = self._action(world, due=dt.date.today() - dt.timedelta(days=3))
        services.action_transition(actor=world.officer_a, action=done_late, to="done")
        listed = {
            a.pk
            for a in client_for(world.officer_a).get(reverse("quality:action_list") + "?terlambat=1").context["page"]
        }
        assert listed == {late.pk}
        assert due_today.pk not in listed

    def test_transition_page_refuses_illegal_and_owner_verify(self, client_for, world, owner_user):
        from tests.registry.factories import OwnerFactory

        assessment = make_assessment(business=BusinessFactory(owners=[OwnerFactory(user=owner_user)]))
        action = services.action_create(
            actor=world.officer_a,
            finding=make_finding(assessment=assessment),
            description="SOP",
            responsible=owner_user,
            due_on=dt.date(2030, 1, 1),
        )
        client = client_for(owner_user)
        url = reverse("quality:action_transition", args=[action.pk])
        client.post(url, {"to": "verified"})
        action.refresh_from_db()
        assert action.status == "open"
        client.post(url, {"to": "done", "note": "sudah"})
        action.refresh_from_db()
        assert action.status == "done"
        page = client.get(action.get_absolute_url()).content.decode()
        assert 'value="verified"' not in page
        client.post(url, {"to": "verified"})
        action.refresh_from_db()
        assert action.status == "done"
        officer_page = client_for(world.officer_a).get(action.get_absolute_url()).content.decode()
        assert 'value="verified"' in officer_page

    def test_finding_form_and_action_form(self, client_for, world):
        assessment = make_assessment(actor=world.officer_a)
        client = client_for(world.officer_a)
        response = client.post(
            reverse("quality:finding_add", args=[assessment.pk]), {"severity": "major", "description": "Tidak ada SOP"}
        )
        finding = Finding.objects.get()
        assert response.url == reverse("quality:action_create", args=[finding.pk])
        bad = client.post(
            reverse("quality:action_create", args=[finding.pk]),
            {"description": "x", "responsible": world.officer_b.pk, "due_on": "2030-01-01"},
        )
        assert bad.status_code == 200 and not CorrectiveAction.objects.exists()
        client.post(
            reverse("quality:action_create", args=[finding.pk]),
            {"description": "Buat SOP", "responsible": world.officer_a.pk, "due_on": "2030-01-01"},
        )
        assert CorrectiveAction.objects.get().responsible == world.officer_a

    def test_owner_sees_only_own_actions(self, client_for, world, owner_user, owned_business):
        mine = services.action_create(
            actor=world.officer_a,
            finding=make_finding(assessment=make_assessment(business=owned_business)),
            description="SOP",
            responsible=owner_user,
            due_on=dt.date(2030, 1, 1),
        )
        other = self._action(world)
        client = client_for(owner_user)
        assert {a.pk for a in client.get(reverse("quality:action_list")).context["page"]} == {mine.pk}
        assert client.get(other.get_absolute_url()).status_code == 404
