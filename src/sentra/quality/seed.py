"""The first published versions of the checklists and of the INDI 4.0 questionnaire (data migration 0002).

Kept as data, not code paths: admins change them by making a new version (the Django admin), never by editing
a published one. Sources: ISO 9001:2015 clauses 4–10; CPPOB aspects of Permenperin 75/M-IND/PER/7/2010
(docs/domain.md §5); sentra management topics of the Kendari quality-management training (docs/domain.md §4);
INDI 4.0 pillars and indicators (docs/domain.md §6, pillars H, indicators M).
"""

from __future__ import annotations

from decimal import Decimal

CHECKLISTS = [
    {
        "code": "iso-9001",
        "name": "Sistem manajemen mutu ISO 9001:2015",
        "kind": "iso_9001",
        "description": "Pemeriksaan kesiapan penerapan klausul 4–10 ISO 9001:2015 pada IKM.",
        "sections": [
            (
                "4",
                "Konteks organisasi",
                [
                    ("4.1", "Isu internal dan eksternal yang memengaruhi mutu produk sudah diidentifikasi."),
                    ("4.3", "Ruang lingkup sistem manajemen mutu ditetapkan dan tertulis."),
                    ("4.4", "Proses utama (pembelian, produksi, penjualan) dan urutannya digambarkan."),
                ],
            ),
            (
                "5",
                "Kepemimpinan",
                [
                    ("5.2", "Pemilik menetapkan kebijakan mutu dan menyampaikannya kepada pekerja."),
                    ("5.3", "Tugas dan wewenang setiap pekerja yang memengaruhi mutu jelas."),
                ],
            ),
            (
                "6",
                "Perencanaan",
                [
                    ("6.1", "Risiko dan peluang (mis. bahan baku langka, keluhan) dicatat beserta tindakannya."),
                    ("6.2", "Sasaran mutu terukur ditetapkan (mis. % produk cacat, ketepatan kirim)."),
                ],
            ),
            (
                "7",
                "Dukungan",
                [
                    ("7.1", "Mesin, peralatan dan alat ukur dipelihara; alat ukur dikalibrasi."),
                    ("7.2", "Kompetensi pekerja ditetapkan dan pelatihan dicatat."),
                    ("7.5", "Dokumen dan catatan mutu dikendalikan (versi, tempat simpan)."),
                ],
            ),
            (
                "8",
                "Operasi",
                [
                    ("8.2", "Persyaratan pelanggan (ukuran, bahan, waktu) dicatat sebelum produksi."),
                    ("8.4", "Pemasok dievaluasi dan bahan baku diperiksa saat diterima."),
                    ("8.5", "Produksi mengikuti instruksi kerja; produk dapat ditelusuri."),
                    ("8.7", "Produk tidak sesuai ditandai, dipisahkan dan ditangani."),
                ],
            ),
            (
                "9",
                "Evaluasi kinerja",
                [
                    ("9.1", "Kepuasan pelanggan dipantau (mis. catatan keluhan, survei sederhana)."),
                    ("9.2", "Audit internal dilakukan secara berkala."),
                ],
            ),
            (
                "10",
                "Peningkatan",
                [
                    ("10.2", "Ketidaksesuaian dianalisis penyebabnya dan tindakan perbaikan dicatat."),
                ],
            ),
        ],
    },
    {
        "code": "cppob",
        "name": "Cara Produksi Pangan Olahan yang Baik (CPPOB)",
        "kind": "cppob",
        "description": "Pedoman CPPOB, Permenperin 75/M-IND/PER/7/2010, untuk IKM pangan olahan.",
        "sections": [
            (
                "A",
                "Lokasi dan bangunan",
                [
                    ("A1", "Lokasi bebas pencemaran (sampah, banjir, asap) dan lingkungan terawat."),
                    ("A2", "Lantai, dinding dan langit-langit ruang produksi mudah dibersihkan dan tidak rusak."),
                    ("A3", "Tata ruang produksi mengikuti alur dari bahan mentah ke produk jadi."),
                ],
            ),
            (
                "B",
                "Fasilitas sanitasi",
                [
                    ("B1", "Tersedia air bersih yang cukup untuk produksi dan pencucian."),
                    ("B2", "Tersedia tempat cuci tangan dengan sabun dan toilet yang bersih."),
                    ("B3", "Tempat sampah tertutup dan saluran pembuangan lancar."),
                ],
            ),
            (
                "C",
                "Mesin dan peralatan",
                [
                    ("C1", "Peralatan yang bersentuhan dengan pangan dari bahan tara pangan dan bersih."),
                    ("C2", "Peralatan dipelihara dan dibersihkan menurut jadwal."),
                ],
            ),
            (
                "D",
                "Bahan dan pengawasan proses",
                [
                    ("D1", "Bahan baku, bahan tambahan pangan dan kemasan diperiksa dan memenuhi syarat."),
                    ("D2", "Resep/formula dan langkah proses tertulis dan diikuti."),
                    ("D3", "Suhu, waktu dan titik kritis proses dipantau dan dicatat."),
                ],
            ),
            (
                "E",
                "Karyawan",
                [
                    ("E1", "Karyawan sehat, berpakaian kerja bersih, memakai penutup kepala dan sarung tangan."),
                    ("E2", "Karyawan dilatih keamanan pangan dan higiene."),
                ],
            ),
            (
                "F",
                "Kemasan, label dan penyimpanan",
                [
                    (
                        "F1",
                        "Label memuat nama produk, komposisi, berat bersih, produsen, kode produksi dan kedaluwarsa.",
                    ),
                    ("F2", "Bahan dan produk disimpan terpisah, tidak menempel lantai, FIFO."),
                ],
            ),
            (
                "G",
                "Dokumentasi dan penarikan produk",
                [
                    ("G1", "Catatan produksi, pembersihan dan pengiriman disimpan."),
                    ("G2", "Ada prosedur penarikan produk dan penanganan keluhan konsumen."),
                ],
            ),
        ],
    },
    {
        "code": "pengelolaan-sentra",
        "name": "Pengelolaan sentra IKM",
        "kind": "sentra",
        "description": "Kelembagaan dan pengelolaan sentra IKM (materi pelatihan manajemen mutu dan pengelolaan "
        "sentra, Kota Kendari 2022).",
        "sections": [
            (
                "K",
                "Kelembagaan",
                [
                    ("K1", "Pengelola sentra (UPTD/koperasi/pengurus) ditetapkan dengan surat keputusan."),
                    ("K2", "Struktur organisasi, tugas dan rapat anggota berjalan."),
                ],
            ),
            (
                "S",
                "Aset dan sarana",
                [
                    ("S1", "Daftar aset (bangunan, mesin bersama) lengkap dengan kondisi dan nilai."),
                    ("S2", "Jadwal dan catatan pemeliharaan mesin/peralatan bersama."),
                    ("S3", "Pemakaian mesin/fasilitas bersama dijadwalkan dan dicatat."),
                ],
            ),
            (
                "T",
                "Administrasi dan aturan",
                [
                    ("T1", "Tata tertib sentra tertulis dan disepakati anggota."),
                    ("T2", "Iuran/retribusi dan keuangan sentra dicatat dan dilaporkan."),
                    ("T3", "Data anggota (usaha, produk, tenaga kerja, produksi) diperbarui berkala."),
                ],
            ),
            (
                "L",
                "Layanan dan mutu bersama",
                [
                    ("L1", "Standar mutu produk bersama ditetapkan dan diperiksa."),
                    ("L2", "Pemasaran bersama (katalog, ruang pamer, daring) dijalankan."),
                ],
            ),
        ],
    },
]

#: docs/domain.md §6: five pillars (H) and 17 indicators (M). Equal weights by default: the "claimed" weights
#: (Manajemen 0.25, Orang 0.30, Produk 0.15, Teknologi 0.15, Operasi 0.15) are unverified (L).
INDI_PILLARS = [
    (
        "mo",
        "Manajemen dan Organisasi",
        "Manajemen",
        [
            (
                "Strategi dan kepemimpinan",
                "Seberapa jauh strategi usaha dan pimpinan mendorong penerapan teknologi digital/industri 4.0?",
            ),
            ("Investasi untuk I4.0", "Seberapa besar investasi usaha untuk teknologi digital dan otomasi?"),
            ("Kebijakan inovasi", "Seberapa teratur usaha mengembangkan produk atau proses baru?"),
        ],
    ),
    (
        "ob",
        "Orang dan Budaya",
        "Orang",
        [
            ("Budaya", "Seberapa terbiasa pekerja memakai data dan alat digital dalam pekerjaan sehari-hari?"),
            ("Keterbukaan terhadap perubahan", "Seberapa terbuka pemilik dan pekerja terhadap cara kerja baru?"),
            ("Pengembangan kompetensi", "Seberapa sering pekerja dilatih keterampilan digital/teknologi?"),
        ],
    ),
    (
        "pl",
        "Produk dan Layanan",
        "Produk",
        [
            ("Kustomisasi produk", "Seberapa mudah usaha membuat produk sesuai pesanan pelanggan?"),
            ("Layanan berbasis data", "Seberapa jauh data pelanggan/penjualan dipakai untuk layanan?"),
            ("Produk cerdas", "Apakah produk memiliki fitur digital (sensor, QR, koneksi)?"),
        ],
    ),
    (
        "tk",
        "Teknologi",
        "Teknologi",
        [
            ("Keamanan cyber", "Seberapa terlindungi data dan perangkat usaha (kata sandi, cadangan data)?"),
            ("Konektivitas", "Seberapa terhubung mesin, komputer dan pekerja (internet, jaringan)?"),
            ("Mesin cerdas", "Seberapa banyak mesin yang dikendalikan komputer (CNC, otomatis)?"),
            ("Digitalisasi", "Seberapa banyak pencatatan (pesanan, stok, keuangan) yang sudah digital?"),
        ],
    ),
    (
        "op",
        "Operasi Pabrik",
        "Operasi",
        [
            ("Penyimpanan dan sharing data", "Bagaimana data produksi disimpan dan dibagikan?"),
            ("Rantai pasok dan logistik cerdas", "Seberapa terpantau bahan baku dan pengiriman secara digital?"),
            ("Proses yang otonom", "Seberapa otomatis proses produksi berjalan tanpa campur tangan manual?"),
            ("Sistem perawatan cerdas", "Bagaimana perawatan mesin direncanakan (rusak-baru-perbaiki s.d. prediktif)?"),
        ],
    ),
]

#: What each level means, for every question (docs/domain.md §6, H).
INDI_OPTIONS = [
    "Belum ada sama sekali.",
    "Baru direncanakan atau dicoba sebagian kecil.",
    "Sudah diterapkan pada sebagian kegiatan.",
    "Sudah diterapkan pada sebagian besar kegiatan dan dipantau.",
    "Sudah diterapkan menyeluruh dan terus ditingkatkan.",
]


#: Advice per pillar of INDI version 1 (migration 0006): (pillar code, min, below, title, text, class kinds, keywords).
#: Below 2 a business starts with the basics of the pillar; from 2 to below 3 it spreads what it began; from 3 it
#: connects and measures. Classes offered are open classes of the given kinds, narrowed by the keywords.
INDI_ADVICE = [
    (
        "mo",
        "0",
        "2",
        "Mulai dari rencana usaha yang tertulis",
        "Tuliskan rencana usaha satu tahun: produk, target penjualan, dan satu alat digital yang akan dipakai "
        "(mis. aplikasi kasir atau pencatatan pesanan). Sisihkan anggaran kecil untuk mencobanya.",
        "bimtek,pelatihan",
        "manajemen,bisnis,wirausaha",
    ),
    (
        "mo",
        "2",
        "4",
        "Jadikan inovasi kegiatan rutin",
        "Tetapkan satu perbaikan produk atau proses setiap triwulan, catat hasilnya, dan ukur dampaknya pada "
        "penjualan atau biaya.",
        "pelatihan,workshop",
        "manajemen,mutu,inovasi",
    ),
    (
        "ob",
        "0",
        "2",
        "Latih pekerja memakai alat digital",
        "Ajak pekerja mencatat pekerjaan harian di ponsel (pesanan, bahan, jam kerja) dan bahas catatan itu "
        "seminggu sekali.",
        "pelatihan,bimtek",
        "digital,manajemen,mutu",
    ),
    (
        "ob",
        "2",
        "4",
        "Rencanakan pelatihan pekerja",
        "Susun rencana pelatihan tahunan untuk tiap pekerja dan kirim pekerja kunci ke pelatihan kompetensi.",
        "diklat3in1,pelatihan",
        "",
    ),
    (
        "pl",
        "0",
        "2",
        "Kenali pelanggan lewat data penjualan",
        "Catat siapa membeli apa dan kapan; dari catatan itu tentukan produk yang paling laku dan pesanan khusus "
        "yang paling sering diminta.",
        "bimtek,pelatihan",
        "bisnis,pemasaran,produk",
    ),
    (
        "pl",
        "2",
        "4",
        "Tambahkan layanan digital pada produk",
        "Beri label QR berisi cara perawatan dan kontak layanan; tawarkan pemesanan sesuai ukuran lewat katalog "
        "daring.",
        "workshop,pelatihan",
        "produk,pemasaran,digital",
    ),
    (
        "tk",
        "0",
        "2",
        "Amankan dan digitalkan pencatatan",
        "Pindahkan catatan pesanan, stok dan keuangan ke aplikasi; pakai kata sandi dan cadangan data mingguan.",
        "bimtek,pelatihan",
        "digital,teknologi,bisnis",
    ),
    (
        "tk",
        "2",
        "4",
        "Hubungkan mesin dan data",
        "Pertimbangkan mesin yang dikendalikan komputer untuk pekerjaan berulang dan sambungkan pencatatan "
        "produksi dengan stok.",
        "pelatihan,diklat3in1",
        "teknologi,mesin,produksi",
    ),
    (
        "op",
        "0",
        "2",
        "Tertibkan alur produksi",
        "Buat jadwal perawatan mesin dan catat bahan masuk-keluar; tata ruang produksi agar alur kerja pendek.",
        "pelatihan,bimtek",
        "mutu,produksi,sentra",
    ),
    (
        "op",
        "2",
        "4",
        "Pantau produksi dan pasokan",
        "Pantau bahan baku dan pengiriman dengan satu daftar bersama; rencanakan perawatan dari catatan kerusakan.",
        "pelatihan,workshop",
        "mutu,produksi,logistik",
    ),
]


def load_indi_advice(apps) -> None:  # type: ignore[no-untyped-def]
    """The advice list of every INDI version that has none yet (idempotent; an administrator's list is kept)."""
    Pillar = apps.get_model("quality", "IndiPillar")
    Advice = apps.get_model("quality", "IndiAdvice")
    for pillar in Pillar.objects.filter(advice__isnull=True):
        rows = [r for r in INDI_ADVICE if r[0] == pillar.code]
        Advice.objects.bulk_create(
            [
                Advice(
                    pillar=pillar,
                    order=i,
                    min_score=Decimal(lo),
                    below_score=Decimal(hi),
                    title=title,
                    text=text,
                    class_kinds=kinds,
                    class_keywords=words,
                )
                for i, (_code, lo, hi, title, text, kinds, words) in enumerate(rows, start=1)
            ]
        )


def load(apps) -> None:  # type: ignore[no-untyped-def]
    """Create version 1 of each checklist and of the INDI 4.0 questionnaire, published (idempotent)."""
    from django.utils import timezone

    Template = apps.get_model("quality", "ChecklistTemplate")
    Version = apps.get_model("quality", "ChecklistVersion")
    Section = apps.get_model("quality", "ChecklistSection")
    Item = apps.get_model("quality", "ChecklistItem")
    now = timezone.now()
    for spec in CHECKLISTS:
        template, created = Template.objects.get_or_create(
            code=spec["code"], defaults={"name": spec["name"], "kind": spec["kind"], "description": spec["description"]}
        )
        if not created:
            continue
        version = Version.objects.create(
            template=template, number=1, status="published", published_at=now, notes="Versi awal."
        )
        for s_order, (code, title, items) in enumerate(spec["sections"], start=1):
            section = Section.objects.create(version=version, order=s_order, code=code, title=title)
            Item.objects.bulk_create(
                [Item(section=section, order=i, code=c, text=t, weight=Decimal(1)) for i, (c, t) in enumerate(items, 1)]
            )
    IndiVersion = apps.get_model("quality", "IndiVersion")
    Pillar = apps.get_model("quality", "IndiPillar")
    Question = apps.get_model("quality", "IndiQuestion")
    if IndiVersion.objects.exists():
        return
    version = IndiVersion.objects.create(
        number=1,
        label="INDI 4.0 – 17 bidang, bobot pilar sama",
        status="published",
        weights_verified=False,
        weights_note=(
            "Bobot resmi belum diterbitkan Kemenperin. Versi ini memakai bobot sama (0,2) "
            "untuk tiap pilar. Bobot yang diklaim sebuah implementasi publik (Manajemen 0,25; Orang 0,30; "
            "Produk 0,15; Teknologi 0,15; Operasi 0,15) belum diverifikasi."
        ),
    )
    for p_order, (code, name, short, questions) in enumerate(INDI_PILLARS, start=1):
        pillar = Pillar.objects.create(
            version=version, order=p_order, code=code, name=name, short_name=short, weight=Decimal("0.2")
        )
        Question.objects.bulk_create(
            [
                Question(pillar=pillar, order=i, indicator=ind, text=text, options=INDI_OPTIONS)
                for i, (ind, text) in enumerate(questions, start=1)
            ]
        )
