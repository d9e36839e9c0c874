"""Demo step of training: Kendari's July 2022 class, a finished 2024 class and one open for applications.

The 2022 class follows the seed article (docs/domain.md §0 and §4): "Pelatihan manajemen mutu dan pengelolaan
sentra IKM", six days from Tuesday 19 to Monday 25 July 2022 with Sunday 24 July off, about 30 business people,
at a hotel in Kendari, paid from the DAK (DAK Nonfisik menu B, Pengelolaan Kelembagaan, docs/domain.md §3b).
Attendance, scores, evaluations and follow-ups are generated (seeded) and plausible, not historical.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from sentra.budget.models import BudgetLine
from sentra.demo.context import KENDARI, LEPO_LEPO, DemoContext
from sentra.regions.models import Region
from sentra.registry import services as registry_services
from sentra.training import services
from sentra.training.choices import (
    BatchStatus,
    BusinessPlan,
    BusinessRequirement,
    FundingSource,
    ParticipantResult,
    ParticipantStatus,
    ProgrammeKind,
)
from sentra.training.models import Batch, Participant, Programme

QUALITY_MODULES = [
    ("Kebijakan pengembangan IKM dan sentra IKM", 4),
    ("Kelembagaan dan tata kelola sentra IKM", 8),
    ("Manajemen aset dan administrasi sentra", 8),
    ("Dasar-dasar manajemen mutu (SNI ISO 9001)", 8),
    ("Pengendalian mutu produk mebel kayu dan rotan", 8),
    ("Simulasi teknis dan kunjungan lapangan ke Sentra IKM Meubeler", 8),
    ("Penyusunan rencana tindak lanjut", 4),
]
#: The Kendari agency that runs, and its head who signs, every demo class.
AGENCY: dict[str, Any] = {
    "organiser": "Dinas Tenaga Kerja dan Perindustrian Kota Kendari",
    "signatory_name": "Muhammad Ali Aksa",
    "signatory_title": "Kepala Dinas Tenaga Kerja dan Perindustrian Kota Kendari",
}
BUSINESS_MODULES = [
    ("Motivasi dan pola pikir wirausaha industri", 6),
    ("Perencanaan usaha dan perhitungan harga pokok", 8),
    ("Legalitas usaha: NIB melalui OSS, PIRT dan halal", 6),
    ("Pemasaran digital dan e-Smart IKM", 8),
    ("Pembukuan sederhana", 6),
]


def open_class_dates(today: dt.date) -> tuple[dt.date, dt.date]:
    """The open class runs Monday to Saturday, starting the Monday at least three weeks after the demo is loaded:
    whenever the demo is shown there is a class to apply for, as an owner's INDI advice and home page promise."""
    start = today + dt.timedelta(days=21)
    start = _clear_of_year_end(start + dt.timedelta(days=(7 - start.weekday()) % 7), 6)
    return start, start + dt.timedelta(days=5)


def _clear_of_year_end(start: dt.date, days: int) -> dt.date:
    """``start``, or as many weeks later as needed for ``days`` days clear of Christmas and the new year (no agency
    runs a class then)."""
    while any(
        (d.month, d.day) >= (12, 24) or (d.month, d.day) <= (1, 1)
        for d in (start + dt.timedelta(days=i) for i in range(days))
    ):
        start += dt.timedelta(days=7)
    return start


def open_class_name(today: dt.date) -> str:
    return f"Bimtek Wirausaha Industri Baru {open_class_dates(today)[0].year}"


def _budget_line(description: str) -> BudgetLine | None:
    """The Kendari DAK line the budget demo made for this training, if the budget step ran."""
    return BudgetLine.objects.filter(region_id=KENDARI, description__istartswith=description).order_by("-id").first()


def _programme(
    officer: Any, region: Region, title: str, kind: str, competencies: list[str], pass_mark: int, modules: list
) -> Programme:
    return services.programme_create(
        actor=officer,
        title=title,
        kind=kind,
        competencies="\n".join(competencies),
        min_attendance_pct=80,
        min_post_test=Decimal(pass_mark),
        region=region,
        modules=[{"title": t, "hours_jp": h} for t, h in modules],
    )


def _batch(
    officer: Any, programme: Programme, region: Region, trainer: Any, ages: tuple[int, int], **fields: Any
) -> Batch:
    """A class of the Kendari agency (``AGENCY``) with one trainer of our own."""
    return services.batch_create(
        actor=officer,
        programme=programme,
        **AGENCY,
        min_age=ages[0],
        max_age=ages[1],
        region=region,
        trainers=[trainer],
        **fields,
    )


def _apply(
    batch: Batch, region: Region, phone: str, applicant: tuple[Any, ...], plan: str, motivation: str
) -> Participant:
    """A public application to ``batch`` (``applicant``: name, NIK, birth date, gender, product)."""
    name, nik, birth, gender, product = applicant[:5]
    participant = services.application_submit(
        batch=batch,
        data={
            "full_name": name,
            "nik": nik,
            "birth_date": birth,
            "gender": gender,
            "phone": phone,
            "email": "",
            "region": region,
            "business_plan": plan,
            "business_name": product,
            "motivation": motivation,
        },
    )
    if participant is None:  # the form's answer to a second application with the same NIK
        raise ValueError(f"{name} applied to {batch} twice: the demo's applicants have distinct NIKs")
    return participant


def _is_login(participant: Participant, user: Any) -> bool:
    """Whether ``participant`` is the person who signs in as ``user`` (the `pemilik` demo login)."""
    return user is not None and participant.owner is not None and participant.owner.user_id == user.pk


def load_training(ctx: DemoContext) -> None:
    rng = ctx.rng
    officer = ctx.users["kendari"]
    trainer = ctx.users["pelatih"]
    region = Region.objects.get(pk=KENDARI)
    quality = _programme(
        officer,
        region,
        "Pelatihan Manajemen Mutu dan Pengelolaan Sentra IKM",
        ProgrammeKind.PELATIHAN,
        [
            "Mengelola kelembagaan dan aset sentra IKM",
            "Menerapkan dasar manajemen mutu di IKM",
            "Menyusun rencana tindak lanjut pengembangan sentra",
        ],
        60,
        QUALITY_MODULES,
    )
    batch = _batch(
        officer,
        quality,
        region,
        trainer,
        (18, 64),
        name="Pelatihan Manajemen Mutu dan Pengelolaan Sentra IKM 2022",
        start_date=dt.date(2022, 7, 19),
        end_date=dt.date(2022, 7, 25),
        venue="Hotel di Kota Kendari",
        quota=30,
        funding_source=FundingSource.DAK_NONFISIK,
        funding_note="DAK Nonfisik 2022 menu B – Pengelolaan Kelembagaan Sentra IKM",
        status=BatchStatus.CLOSED,
        business_requirement=BusinessRequirement.HAS,
        budget_line=_budget_line("Pelatihan manajemen mutu"),
    )
    external = services.external_trainer_add(
        actor=officer, batch=batch, name="Tim Narasumber FEB", institution="Universitas Halu Oleo"
    )
    modules = list(quality.modules.all())
    days = list(batch.days.order_by("date"))
    plan = [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [5, 6]]
    for day, module_ids in zip(days, plan, strict=True):
        for slot, idx in enumerate(module_ids):
            module = modules[idx]
            services.session_add(
                actor=officer,
                batch=batch,
                day=day,
                start_time=dt.time(8 + slot * 5, 0),
                end_time=dt.time(12 + slot * 5, 0) if slot == 0 else dt.time(16, 0),
                topic=module.title,
                module=module,
                trainer=trainer if idx in (3, 4) else None,
                external_trainer=external if idx not in (3, 4) else None,
            )

    businesses = list(ctx.objects["kendari_businesses"])
    # Mostly people of the furniture centre (the first 45 businesses are furniture in Kel. Lepo-Lepo).
    chosen = businesses[:24] + rng.sample(businesses[60:], 6)
    participants = []
    for business in chosen:
        owner = business.ownerships.first().owner
        participants.append(
            services.participant_register(actor=officer, batch=batch, owner=owner, business=business, accept=True)
        )
    # Attendance: nearly everyone every day; two people miss two days (and so fail), three miss one.
    absent: dict[int, set[int]] = {}
    for p in rng.sample(participants, 5):
        absent[p.pk] = set(rng.sample(range(6), 2 if len(absent) < 2 else 1))
    for p in participants:
        for i, day in enumerate(days):
            services.attendance_set(actor=trainer, participant=p, day=day, present=i not in absent.get(p.pk, set()))
        pre = Decimal(rng.randint(35, 65))
        post = min(Decimal(100), pre + Decimal(rng.randint(12, 35)))
        services.scores_set(actor=officer, participant=p, pre_test=pre, post_test=post)
    services.scores_set(actor=officer, participant=participants[-1], pre_test=Decimal(40), post_test=Decimal("55.50"))
    services.batch_assess(actor=officer, batch=batch)
    comments = [
        "Materi manajemen aset sangat berguna untuk sentra.",
        "Waktu praktik perlu ditambah.",
        "Kunjungan lapangan ke sentra meubeler membuka wawasan.",
        "Contoh kasus dari IKM mebel mudah dipahami.",
        "",
        "",
    ]
    for _answer in range(26):
        services.evaluation_submit(
            actor=officer,
            batch=batch,
            participant=None,
            answers={
                "mastery": rng.choice([4, 4, 5, 5, 3]),
                "delivery": rng.choice([3, 4, 4, 5]),
                "relevance": rng.choice([4, 5, 5]),
                "organisation": rng.choice([3, 4, 4, 5]),
                "comment": rng.choice(comments),
            },
        )
    issued = services.certificates_issue(actor=officer, batch=batch)
    _load_three_month_followups(ctx, batch)
    # Six-month follow-up (January 2023) of the alumni who passed.
    owner_user = ctx.users.get("pemilik")
    for p in batch.participants.filter(result=ParticipantResult.PASSED).select_related("business", "owner"):
        business = p.business
        if business is None:  # every 2022 participant came with their business
            continue
        grew = rng.random() < 0.45
        turnover = business.turnover
        workforce = business.workforce_total
        if grew and turnover is not None:
            turnover = (turnover * Decimal(rng.choice(["1.10", "1.20", "1.35"]))).quantize(Decimal(1))
            workforce = (workforce or 0) + rng.randint(0, 2)
        contacted_on = dt.date(2023, 1, 25) + dt.timedelta(days=rng.randint(0, 10))
        notes = "Dihubungi melalui telepon." if rng.random() < 0.5 else "Kunjungan ke tempat usaha."
        if _is_login(p, owner_user):
            continue  # not reached at six months: the `pemilik` login finds this follow-up due on their home page
        services.followup_record(
            actor=officer,
            participant=p,
            months=6,
            contacted_on=contacted_on,
            started_business=False,
            grew_business=grew,
            nib_registered=bool(business.nib),
            joined_centre=business.village_id == LEPO_LEPO,
            centre_name="Sentra IKM Meubeler Lepo-Lepo" if business.village_id == LEPO_LEPO else "",
            turnover=turnover,
            workforce=workforce,
            notes=notes,
        )
    ctx.objects["training_batch_2022"] = batch

    # A class for new and young entrepreneurs, open for public applications, a few weeks ahead of the day the demo
    # is loaded.
    start, end = open_class_dates(timezone.localdate())
    starter = _programme(
        officer,
        region,
        "Pelatihan Pengelolaan Bisnis dan Manajemen Wirausaha",
        ProgrammeKind.BIMTEK,
        ["Menyusun rencana usaha", "Mengurus legalitas usaha (NIB)", "Memasarkan produk secara digital"],
        65,
        BUSINESS_MODULES,
    )
    open_batch = _batch(
        officer,
        starter,
        region,
        trainer,
        (18, 45),
        name=open_class_name(timezone.localdate()),
        start_date=start,
        end_date=end,
        venue="Aula Disnaker Kota Kendari",
        quota=20,
        funding_source=FundingSource.DAK_NONFISIK,
        funding_note=f"DAK Nonfisik {start.year} menu A – Peningkatan SDM dan Daya Saing IKM",
        status=BatchStatus.OPEN,
        business_requirement=BusinessRequirement.HAS_OR_PLANS,
        eligible_regions=[region, Region.objects.get(pk="74.05")] if Region.objects.filter(pk="74.05").exists() else [],
    )
    # One applicant is already in the registry under a slightly different spelling: the officer sees the two side by
    # side on the application's page and decides whether they are the same person.
    known = registry_services.owner_register(
        actor=officer,
        full_name="Siti Rahmawati",
        nik="7471036110950003",
        gender="P",
        birth_date=dt.date(1995, 10, 21),
        phone=f"+62811{rng.randint(10000000, 99999999)}",
        region=region,
    )
    registry_services.business_register(
        actor=officer,
        name="Kue Kering Siti",
        region=region,
        village=Region.objects.get(pk=LEPO_LEPO),
        owners=[known],
        commodity="Kue kering",
        workforce_female=3,
        investment_value=Decimal("15000000"),
        turnover=Decimal("90000000"),
    )
    for applicant in APPLICANTS:
        _apply(
            open_batch,
            region,
            f"+62812{rng.randint(10000000, 99999999)}",
            applicant,
            applicant[5],
            "Ingin memulai dan mengembangkan usaha sendiri di Kendari.",
        )
    first = services.participant_register_applicant(actor=officer, participant=open_batch.participants.earliest("id"))
    services.participant_decide(actor=officer, participant=first, decision=ParticipantStatus.ACCEPTED)
    ctx.objects["training_batch_open"] = open_batch
    _load_marketing_class(ctx, region=region, start=_clear_of_year_end(end + dt.timedelta(days=9), 5))
    starters = _load_starter_class_2024(ctx, programme=starter, region=region)
    ctx.log(
        f"  kelas 2022: {len(participants)} peserta, {len(days)} hari, {len(issued)} sertifikat; "
        f"kelas {start.year} dibuka dengan {len(APPLICANTS)} pendaftar; "
        f"kelas wirausaha 2024: {starters} usaha baru tercatat dari tindak lanjut"
    )


def _load_three_month_followups(ctx: DemoContext, batch: Batch) -> None:
    """The 3-month follow-up of the 2022 class (October 2022): the officer reached a third of the alumni by phone;
    the `pemilik` login answered on their own home page (through the periodic report); the others have not
    answered, so the class page shows an answer rate below 100 persen and whom to remind."""
    from sentra.periodic import services as periodic_services
    from sentra.training.followup_reports import followup_form

    rng = random.Random(2022)  # its own stream: the demo steps after it keep theirs
    officer = ctx.users["kendari"]
    owner_user = ctx.users.get("pemilik")
    alumni = list(batch.participants.filter(status=ParticipantStatus.ACCEPTED).select_related("business", "owner"))
    mine = next((p for p in alumni if _is_login(p, owner_user)), None)
    others = [p for p in alumni if p is not mine]
    for p in rng.sample(others, len(others) // 3):
        services.followup_record(
            actor=officer,
            participant=p,
            months=3,
            contacted_on=dt.date(2022, 10, 25) + dt.timedelta(days=rng.randint(0, 10)),
            nib_registered=bool(p.business and p.business.nib),
            turnover=p.business.turnover if p.business else None,
            workforce=p.business.workforce_total if p.business else None,
            notes="Dihubungi melalui telepon.",
        )
    if mine is None or mine.business is None:
        return
    form = followup_form()
    business = mine.business
    submission = periodic_services.submission_start(
        actor=owner_user, form=form, subject=mine, period=form.resolve_period("B3", mine)
    )
    submission = periodic_services.submission_save(
        actor=owner_user,
        submission=submission,
        data={
            "turnover": business.turnover,
            "workforce": business.workforce_total,
            "nib": business.nib or "",
            "products": business.commodity or "Meja dan kursi kayu jati",
        },
    )
    periodic_services.submission_submit(actor=owner_user, submission=submission)


MARKETING_MODULES = [
    ("Mengenal pelanggan mebel dan rotan dari data penjualan", 6),
    ("Foto produk, katalog daring dan label QR perawatan produk", 8),
    ("Pemasaran digital: lokapasar, media sosial dan e-Smart IKM", 8),
    ("Pemesanan sesuai ukuran dan layanan purnajual", 6),
    ("Rencana inovasi produk dan kompetensi pekerja", 6),
]


def _load_marketing_class(ctx: DemoContext, *, region: Region, start: dt.date) -> None:
    """A training for the furniture centre's businesses, open for applications a week after the entrepreneurs'
    class: the class an owner's INDI 4.0 advice (people, products) points to."""
    officer = ctx.users["kendari"]
    programme = _programme(
        officer,
        region,
        "Pelatihan Pemasaran Digital dan Inovasi Produk Mebel",
        ProgrammeKind.PELATIHAN,
        [
            "Memasarkan produk secara digital",
            "Menambah layanan pada produk (label QR, pesanan sesuai ukuran)",
            "Merencanakan inovasi produk dan kompetensi pekerja",
        ],
        65,
        MARKETING_MODULES,
    )
    _batch(
        officer,
        programme,
        region,
        ctx.users["pelatih"],
        (18, 60),
        name=f"Pelatihan Pemasaran Digital Produk Mebel {start.year}",
        start_date=start,
        end_date=start + dt.timedelta(days=4),
        venue="Ruang pertemuan Sentra IKM Meubeler, Kec. Baruga",
        quota=25,
        funding_source=FundingSource.APBD,
        funding_note="APBD Kota Kendari",
        status=BatchStatus.OPEN,
        business_requirement=BusinessRequirement.HAS,
    )


#: The applicants to the open class: name, NIK, birth date, gender, product, whether they already have a business.
APPLICANTS = [
    ("Nur Aisyah Tamburaka", "7471035504980001", dt.date(1998, 4, 15), "P", "Keripik pisang", BusinessPlan.PLANS),
    ("Muh. Fadli Sabara", "7471031208990002", dt.date(1999, 8, 12), "L", "Kerajinan rotan", BusinessPlan.PLANS),
    ("Sitti Rahmawati", "7471036110950003", dt.date(1995, 10, 21), "P", "Kue kering", BusinessPlan.HAS),
    ("Andi Saputra Halim", "7471030303000004", dt.date(2000, 3, 3), "L", "Meubel kayu", BusinessPlan.PLANS),
]
#: The 2024 class of would-be entrepreneurs: name, NIK, birth date, gender, planned product, and what the six-month
#: follow-up found (``None``: no business yet; else the business name and whether it got an NIB).
STARTERS_2024 = [
    ("Wa Ode Nurhayati", "7471034705970005", dt.date(1997, 5, 7), "P", "Abon ikan", ("Abon Ikan Wa Ode", True)),
    ("La Ode Syahrul", "7471031902960006", dt.date(1996, 2, 19), "L", "Mebel rotan", ("Rotan Syahrul", True)),
    ("Fitriani Lestari", "7471036309010007", dt.date(2001, 9, 23), "P", "Kue bagea", ("Bagea Fitri", False)),
    ("Rahmat Hidayat", "7471031011990008", dt.date(1999, 11, 10), "L", "Kerajinan kayu", None),
    ("Nurul Fadhilah", "7471035202020009", dt.date(2002, 2, 12), "P", "Keripik sukun", None),
    ("Asrul Rahman", "7471030107980010", dt.date(1998, 7, 1), "L", "Tenun Tolaki", None),
]


def _load_starter_class_2024(ctx: DemoContext, *, programme: Programme, region: Region) -> int:
    """A finished class for new entrepreneurs, so the outcome funnel has its whole path: applied, trained,
    certified, and (at the six-month follow-up) a business registered, some with an NIB. Returns how many
    new businesses the follow-up registered."""
    rng = ctx.rng
    officer = ctx.users["kendari"]
    trainer = ctx.users["pelatih"]
    batch = _batch(
        officer,
        programme,
        region,
        trainer,
        (18, 45),
        name="Bimtek Wirausaha Industri Baru 2024",
        start_date=dt.date(2024, 8, 5),
        end_date=dt.date(2024, 8, 10),
        venue="Aula Disnaker Kota Kendari",
        quota=len(STARTERS_2024),
        funding_source=FundingSource.DAK_NONFISIK,
        funding_note="DAK Nonfisik 2024 menu A – Penumbuhan Wirausaha Industri Baru",
        status=BatchStatus.OPEN,
        business_requirement=BusinessRequirement.HAS_OR_PLANS,
    )
    people = []
    for starter in STARTERS_2024:
        participant = _apply(
            batch,
            region,
            f"+62813{rng.randint(10000000, 99999999)}",
            starter,
            BusinessPlan.PLANS,
            "Ingin memulai usaha industri kecil di Kendari.",
        )
        outcome = starter[5]
        participant = services.participant_register_applicant(actor=officer, participant=participant)
        people.append(
            (
                services.participant_decide(
                    actor=officer, participant=participant, decision=ParticipantStatus.ACCEPTED
                ),
                outcome,
            )
        )
    batch = services.batch_update(actor=officer, batch=batch, status=BatchStatus.CLOSED)
    modules = list(programme.modules.all())
    days = list(batch.days.order_by("date"))
    for day, module in zip(days, modules + modules[-1:], strict=False):
        services.session_add(
            actor=officer,
            batch=batch,
            day=day,
            start_time=dt.time(8, 0),
            end_time=dt.time(15, 0),
            topic=module.title,
            module=module,
            trainer=trainer,
        )
    for participant, _outcome in people:
        for day in days:
            services.attendance_set(actor=trainer, participant=participant, day=day, present=True)
        pre = Decimal(rng.randint(30, 55))
        services.scores_set(actor=officer, participant=participant, pre_test=pre, post_test=pre + Decimal(30))
    services.batch_assess(actor=officer, batch=batch)
    services.certificates_issue(actor=officer, batch=batch)
    batch = services.batch_update(actor=officer, batch=batch, status=BatchStatus.COMPLETED)
    started = 0
    villages = list(Region.objects.filter(parent__parent_id=KENDARI).order_by("code"))
    for participant, outcome in people:
        participant.refresh_from_db()
        if outcome and participant.owner is not None:
            # The officer visits the new workshop and completes the owner's address; the business registered
            # below takes its village from it.
            registry_services.owner_update(actor=officer, owner=participant.owner, village=rng.choice(villages))
            participant.refresh_from_db()
        fields: dict[str, Any] = {
            "months": 6,
            "contacted_on": dt.date(2025, 2, 12) + dt.timedelta(days=rng.randint(0, 10)),
            "started_business": outcome is not None,
            "nib_registered": bool(outcome and outcome[1]),
            "turnover": Decimal(rng.choice([18, 24, 36])) * Decimal(1_000_000) if outcome else None,
            "workforce": rng.randint(1, 3) if outcome else None,
            "notes": "Kunjungan ke tempat usaha." if outcome else "Masih menyiapkan modal usaha.",
        }
        if outcome:
            fields["business_name"] = outcome[0]
            if outcome[1]:
                fields["nib"] = f"91203{rng.randint(10**7, 10**8 - 1)}"
            started += 1
        services.followup_record(actor=officer, participant=participant, **fields)
        participant.refresh_from_db()
        if outcome and participant.business is not None:
            # The visit also records what the new workshop invested in equipment, so both size classes show.
            registry_services.business_update(
                actor=officer,
                business=participant.business,
                investment_value=Decimal(rng.choice([8, 12, 15])) * Decimal(1_000_000),
                business_capital=Decimal(rng.choice([10, 15, 20])) * Decimal(1_000_000),
            )
    ctx.objects["training_batch_2024"] = batch
    return started
