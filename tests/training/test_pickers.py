"""Registering a registry person in a class: shown again after an error, the form offers only the chosen person
and that person's businesses, each labelled so look-alikes can be told apart."""

import pytest

from sentra.training.forms import RegisterExistingForm
from tests.registry.factories import BusinessFactory, OwnerFactory
from tests.training.factories import make_batch

pytestmark = pytest.mark.django_db


def test_form_shown_again_lists_only_the_chosen_person_and_their_businesses(officer_region_a):
    batch = make_batch()
    halim = OwnerFactory(full_name="Kusen Halim", nik="7471031207850001")
    BusinessFactory(name="Kusen Halim Jaya", nib="9120301234501", owners=[halim])
    others = [BusinessFactory(name=f"Kusen Lain {i}", owners=[OwnerFactory(full_name="Kusen Halim")]) for i in range(3)]
    form = RegisterExistingForm(
        {"e-owner": halim.pk, "e-business": others[0].pk}, user=officer_region_a, batch=batch, prefix="e"
    )
    assert not form.is_valid() and "business" in form.errors  # not this person's business: refused
    html = str(form)
    assert "Kusen Halim · NIK 7471********0001" in html
    assert "Kusen Halim Jaya · NIB 9120301234501" in html
    assert "Kusen Lain" not in html and html.count("Kusen Halim ·") == 1


def test_the_chosen_business_still_validates(officer_region_a):
    batch = make_batch()
    halim = OwnerFactory(full_name="Kusen Halim")
    own = BusinessFactory(name="Kusen Halim Jaya", owners=[halim])
    form = RegisterExistingForm(
        {"e-owner": halim.pk, "e-business": own.pk}, user=officer_region_a, batch=batch, prefix="e"
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["business"] == own
