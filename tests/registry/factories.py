from decimal import Decimal

import factory

from sentra.registry import search_text
from sentra.registry.models import Business, Owner, Ownership


def make_nik(n: int, *, regency: str = "7471", female: bool = False) -> str:
    day = 12 + (40 if female else 0)
    return f"{regency}03{day:02d}0785{(n % 9999) + 1:04d}"


class OwnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Owner

    full_name = factory.Faker("name", locale="id_ID")
    nik = factory.Sequence(lambda n: make_nik(n))
    gender = "L"
    phone = factory.Sequence(lambda n: f"+62812{n:08d}")
    region_id = "74.71"


class BusinessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Business
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Usaha Mebel {n}")
    region_id = "74.71"
    district_id = "74.71.03"
    village_id = "74.71.03.1002"
    workforce_male = 3
    workforce_female = 2
    investment_value = Decimal("150000000")
    turnover = Decimal("400000000")

    @factory.post_generation
    def owners(obj, create, extracted, **kwargs):
        if not create:
            return
        for owner in extracted or []:
            Ownership.objects.create(business=obj, owner=owner)
        if extracted:
            search_text.refresh([obj.pk])

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = model_class(*args, **kwargs)
        obj.recompute_classes()
        obj.search_text = search_text.for_row(obj.name, ())
        obj.save()
        return obj
