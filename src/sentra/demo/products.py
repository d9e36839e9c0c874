"""Demo step: products of the Kendari furniture centre's workshops and of the automotive centre, some listed in
the public catalogue (the owner's own choice, or an officer recording the owner's signed consent)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sentra.centres.models import CentreMembership
from sentra.demo.context import JUTA, RIBU, DemoContext
from sentra.products import services
from sentra.regions.models import Kbli

SIGNED_FORM = "Formulir persetujuan katalog bertanda tangan pemilik"

#: (name, KBLI, description, price min, price max, capacity per month, unit, colour of the demo photo)
FURNITURE = [
    (
        "Lemari pakaian 3 pintu kayu jati",
        "31001",
        "Lemari jati finishing natural, rak gantung dan laci; ukuran 180 × 200 × 55 cm, bisa pesan ukuran lain.",
        4_500 * RIBU,
        7_800 * RIBU,
        12,
        "unit",
        (139, 94, 60),
    ),
    (
        "Kusen pintu dan jendela kayu bayam",
        "16221",
        "Kusen siap pasang untuk rumah tipe 36–70, dikeringkan di oven sentra agar tidak melengkung.",
        850 * RIBU,
        1_600 * RIBU,
        120,
        "set",
        (176, 132, 84),
    ),
    (
        "Kursi tamu set jati ukir",
        "31001",
        "Satu set sofa 3-1-1 dan meja, ukiran Jepara, jok kain pilihan.",
        9 * JUTA,
        14 * JUTA,
        6,
        "set",
        (120, 72, 40),
    ),
    (
        "Meja makan 6 kursi",
        "31001",
        "Meja makan kayu campuran finishing melamin, 160 × 90 cm.",
        3_200 * RIBU,
        5_500 * RIBU,
        15,
        "set",
        (160, 110, 70),
    ),
    (
        "Lemari dapur gantung",
        "31001",
        "Kitchen set atas dan bawah dari multipleks lapis HPL, ukur di rumah.",
        2_500 * RIBU,
        6 * JUTA,
        10,
        "unit",
        (200, 170, 120),
    ),
    (
        "Daun pintu panel kayu",
        "16221",
        "Pintu panel 4 kotak kayu kelas II, 90 × 210 cm, tanpa cat.",
        950 * RIBU,
        1_450 * RIBU,
        80,
        "unit",
        (150, 100, 55),
    ),
]
AUTOMOTIVE = [
    (
        "Bak truk kayu dan besi",
        "29200",
        "Karoseri bak kayu untuk truk engkel dan dobel, rangka besi kanal.",
        12 * JUTA,
        22 * JUTA,
        4,
        "unit",
        (70, 90, 110),
    ),
    (
        "Teralis dan pagar besi",
        "25111",
        "Teralis jendela, pagar dan kanopi besi hollow, dicat anti karat.",
        450 * RIBU,
        1_200 * RIBU,
        200,
        "m²",
        (90, 90, 90),
    ),
    (
        "Knalpot kustom sepeda motor",
        "29200",
        "Knalpot stainless untuk motor bebek dan sport, garansi las 6 bulan.",
        350 * RIBU,
        900 * RIBU,
        60,
        "unit",
        (110, 110, 130),
    ),
]


def _photo(name: str, colour: tuple[int, int, int]) -> SimpleUploadedFile:
    """A plain illustration (the product's colour and name) so the demo catalogue has covers to share."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (800, 600), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 760, 560), outline=(255, 255, 255), width=6)
    draw.text((70, 270), name, fill=(255, 255, 255), font=ImageFont.load_default(size=36))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("foto.png", buffer.getvalue(), content_type="image/png")


def _members(centre_name: str) -> list[Any]:
    return [
        m.business
        for m in CentreMembership.objects.filter(centre__name=centre_name)
        .select_related("business")
        .order_by("joined_on", "id")
    ]


def load_products(ctx: DemoContext) -> None:
    officer = ctx.users.get("kendari")
    owner_user = ctx.users.get("pemilik")
    kendari = ctx.objects.get("kendari_businesses") or []
    furniture = _members("Sentra IKM Meubeler Kota Kendari")
    automotive = _members("Sentra IKM Otomotif Wua-Wua")
    if not kendari or officer is None:
        ctx.log("  (tidak ada usaha Kendari: langkah produk dilewati)")
        return
    kbli = {
        k.code: k for k in Kbli.objects.filter(version="2020", level=5, code__in={"31001", "16221", "29200", "25111"})
    }
    own = kendari[0]
    made = 0
    # The `pemilik` login records two products of their own workshop and puts it in the catalogue themselves.
    for spec in FURNITURE[:2]:
        _product(owner_user or officer, own, spec, kbli, published=True)
        made += 1
    _list(owner_user or officer, own, "" if owner_user else SIGNED_FORM)
    workshops = [b for b in furniture if b.pk != own.pk][:6]
    for i, business in enumerate(workshops):
        spec = FURNITURE[(i + 2) % len(FURNITURE)]
        _product(officer, business, spec, kbli, published=i % 3 != 2)
        made += 1
        if i < 3:  # three workshops gave the dinas their signed consent at the centre's meeting
            _list(officer, business, f"{SIGNED_FORM}, rapat anggota sentra 2 Desember 2026")
    for i, business in enumerate(automotive[:3]):
        _product(officer, business, AUTOMOTIVE[i], kbli, published=True)
        made += 1
        if i < 2:
            _list(officer, business, "Surat persetujuan pemilik bengkel, diarsipkan di Dinas Perindustrian")
    ctx.log(f"  {made} produk; {1 + min(3, len(workshops)) + min(2, len(automotive))} usaha tampil di katalog publik")


def _list(actor: Any, business: Any, consent_note: str) -> None:
    """``business`` joins the public catalogue: the owner's own choice, or their signed consent an officer records."""
    services.listing_set(actor=actor, business=business, opted_in=True, consent_note=consent_note)


def _product(actor: Any, business: Any, spec: tuple[Any, ...], kbli: dict[str, Kbli], *, published: bool) -> None:
    name, code, description, low, high, capacity, unit, colour = spec
    today = timezone.localdate()
    certificates = list(business.certifications.valid(today)[:2])
    services.product_create(
        actor=actor,
        business=business,
        name=name,
        kbli=kbli[code],
        description=description,
        price_min=Decimal(low),
        price_max=Decimal(high),
        monthly_capacity=Decimal(capacity),
        capacity_unit=unit,
        links=[f"https://www.instagram.com/{business.name.lower().replace(' ', '')[:24]}"],
        published=published,
        certifications=certificates,
        photos=[_photo(name, colour)],
    )
