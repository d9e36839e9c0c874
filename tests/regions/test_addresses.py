"""The address matcher on the cases registers get wrong: one test per trap, with the codes of the Kemendagri table."""

from __future__ import annotations

import pytest

from sentra.regions.addresses import RegionMatcher, reference


def match(address, **kwargs):
    return RegionMatcher().match(address, **kwargs)


def found(address, **kwargs):
    location, confidence = match(address, **kwargs)
    return location["village"] or location["district"] or location["region"], confidence


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        # Kemendagri's official names for Jakarta; registers write them without "Administrasi" or abbreviated.
        ("Jl. Raya Bogor Km 20, Kota Administrasi Jakarta Timur, DKI Jakarta", "31.75"),
        ("Jl. Pemuda 5, Kota Jakarta Timur", "31.75"),
        ("Jl. Pemuda 5, Jakarta Timur", "31.75"),
        ("Jl. Pemuda 5, Jaktim", "31.75"),
        ("Jl. Fatmawati 1, Jaksel", "31.74"),
        ("Jl. Fatmawati 1 Kota Adm. Jakarta Selatan", "31.74"),
        ("Pulau Pramuka, Kab. Adm. Kepulauan Seribu", "31.01"),
        ("Pulau Pramuka, Kepulauan Seribu, DKI Jakarta", "31.01"),
        # A province whose name holds another's.
        ("Jl. Engku Putri, Kota Batam, Kepulauan Riau", "21.71"),
        ("Jl. Engku Putri, Batam, Kepri", "21.71"),
        ("Jl. Trikora, Kab. Merauke, Papua Selatan", "93.01"),
        ("Jl. Trikora, Kab. Merauke, Papua", "93.01"),  # before Papua Selatan was split off (UU 14/2022)
        ("Jl. Basuki Rahmat, Kab. Sorong, Papua Barat Daya", "96.01"),
        ("Jl. Kemakmuran, Kab. Halmahera Utara, Maluku Utara", "82.03"),
        ("Jl. Jend. Sudirman, Kab. Bangka, Kepulauan Bangka Belitung", "19.01"),
        ("Jl. Jend. Sudirman, Kab. Bulungan, Kalimantan Timur", "65.01"),  # Kaltara's regency, older address
        # Names holding a marker word.
        ("Jl. Raya Sarilamak, Kabupaten Lima Puluh Kota, Sumatera Barat", "13.07"),
        ("Jl. Raya Sarilamak, Kab. Lima Puluh Kota Payakumbuh", "13.07.03"),
        ("Nagari Koto Tuo, Payakumbuh, Lima Puluh Kota", "13.07.03"),
        ("Jl. Pangeran Hidayatullah, Kota Baru, Kalimantan Selatan", "63.02"),
        ("Jl. Pangeran Hidayatullah, Kab. Kotabaru", "63.02"),
        ("Jl. Iskandar, Kab. Kota Waringin Barat", "62.01"),
        ("Kec. Kota Baru, Kota Jambi", "15.71.07"),
        ("Desa Loa Kulu Kota, Kec. Loa Kulu, Kab. Kutai Kartanegara", "64.02.02.2004"),
        # Truncated, old and informal names; every way of writing the type word.
        ("Jl. Poros, Pangkajene Dan Kepul", "73.10"),
        ("Jl. Poros, Kab. Pangkep, Sulsel", "73.10"),
        ("Jl. Teuku Umar, Kabupaten Aceh Besar, Nangroe Aceh Darussalam", "11.06"),
        ("Jl. Kaliurang Km 9, Kab. Sleman, D.I. Yogyakarta", "34.04"),
        ("Jl. Kaliurang Km 9, Kab Sleman, Jogja", "34.04"),
        ("Jl. Kaliurang Km 9, Sleman", "34.04"),
        ("Jl. Malioboro, Kota Jogja", "34.71"),
        # The regency's own words are not a village; a district is not the start of another.
        ("Kel. Kota Baru, Alok Timur, Sikka", "53.07.15.1002"),
        ("Jl. Mawar, Alok Timur, Kab. Sikka", "53.07.15"),
        ("Jl. Mawar, Kec. Alok, Kab. Sikka", "53.07.05"),
        # A district or village settles a name shared by a kabupaten and a kota.
        ("Jl. Sultan Hasanudin, Kec. Tambun Selatan, Bekasi, Jawa Barat", "32.16.06"),
    ],
)
def test_addresses_registers_write_are_matched(db, address, expected):
    code, _confidence = found(address)
    assert code == expected


def test_words_of_the_regency_name_are_not_read_as_a_village(db):
    # Deli Serdang has a village called Serdang; the address names only the regency.
    location, confidence = match("Jl. Medan Km 12, Deli Serdang, Sumatera Utara")
    assert location["region"] == "12.07" and location["village"] is None and confidence == "regency"


def test_a_name_shared_by_a_kabupaten_and_a_kota_is_reported_with_both(db):
    location, confidence = match("Jl. Ahmad Yani 1, Bekasi")
    assert confidence is None and location["region"] is None
    assert location["candidates"] == ("32.16", "32.75")
    location, confidence = match("Jl. Ahmad Yani 1, Bekasi, Jawa Barat")
    assert location["candidates"] == ("32.16", "32.75")
    assert match("Jl. Ahmad Yani 1, Kota Bekasi")[0]["region"] == "32.75"
    assert match("Jl. Ahmad Yani 1, Kab Bekasi")[0]["region"] == "32.16"


def test_the_province_settles_a_name_used_in_two_provinces(db):
    # Kota Banjar is in Jawa Barat, Kabupaten Banjar in Kalimantan Selatan.
    assert match("Jl. Mawar, Banjar, Jawa Barat")[0]["region"] == "32.79"
    assert match("Jl. Mawar, Banjar, Kalimantan Selatan")[0]["region"] == "63.03"
    assert match("Jl. Mawar, Banjar")[0]["candidates"] == ("32.79", "63.03")


def test_a_province_name_alone_is_not_read_as_its_city(db):
    location, confidence = match("Jl. Sudirman 5, Jambi")
    assert confidence is None and location["region"] is None
    # ... unless a district of the city says so.
    assert found("Jl. Sudirman 5, Kota Baru, Jambi")[0] == "15.71.07"


def test_a_province_that_contradicts_the_regency_leaves_it_unmatched(db):
    location, confidence = match("Jl. Mawar, Kab. Sleman, Jawa Timur")
    assert confidence is None and location["region"] is None


def test_the_default_region_fills_in_only_what_the_text_leaves_open(db):
    assert match("Jl. Merdeka No. 5", default_region="74.71") == (
        {"region": "74.71", "district": None, "village": None, "candidates": ()},
        "default",
    )
    # One of the candidates: the file's default settles it (low confidence).
    location, confidence = match("Jl. Ahmad Yani 1, Bekasi", default_region="32.75")
    assert location["region"] == "32.75" and confidence == "default"
    # The text names other regencies than the default: reported, not overridden.
    location, confidence = match("Jl. Ahmad Yani 1, Bekasi", default_region="74.71")
    assert confidence is None and location["candidates"] == ("32.16", "32.75")
    # A district named inside the default region still counts.
    assert match("Jl. Poros, Kec. Baruga", default_region="74.71")[0]["district"] == "74.71.03"


@pytest.mark.parametrize(
    "address",
    [
        "Jl. Raya Sarilamak, Kab. Lima Puluh Kota Payakumbuh",
        "Jl. Ahmad Yani 1, Bekasi",
        "Jl. Poros, Pangkajene Dan Kepul",
        "Kel. Kota Baru, Alok Timur, Sikka",
        "Jl. Sudirman 5, Jambi",
        "",
    ],
)
def test_matching_by_signature_gives_what_matching_each_address_gives(db, address, monkeypatch):
    monkeypatch.setattr(RegionMatcher, "SIGNATURES_AFTER", 0)
    matcher = RegionMatcher()
    for default in (None, "74.71", "32.16"):
        assert matcher.match_cached(address, default_region=default) == RegionMatcher().match(
            address, default_region=default
        )


def test_the_reference_is_read_once_and_again_when_the_regions_change(db, django_assert_num_queries):
    first = reference()
    with django_assert_num_queries(1):  # the count that tells whether the table changed
        assert reference() is first
    from sentra.regions.models import Region

    Region.objects.filter(pk="74.71.03.1002").delete()
    rebuilt = reference()
    assert rebuilt is not first and "74.71.03.1002" not in rebuilt.names
    assert match("Kel. Lepo Lepo, Kec. Baruga, Kota Kendari")[0]["village"] is None


def test_aliases_and_splits_name_real_codes(db):
    from sentra.regions.addresses import ALIASES, _csv
    from sentra.regions.models import Region

    codes = set(Region.objects.filter(level__lte=2).values_list("code", flat=True))
    aliases = _csv("alias.csv")
    assert aliases and all(row["kode"] in codes and row["alias"].strip() and row["sumber"] for row in aliases)
    splits = _csv("pemekaran.csv")
    assert all(row["kode"] in codes and row["kode_induk"] in codes and row["dasar_hukum"] for row in splits)
    assert (ALIASES / "README.md").exists()


LAZY_ADDRESSES = [
    "Jl. Poros, Kel. Lepo Lepo, Kec. Baruga, Kota Kendari",
    "Lepo Lepo, Baruga, Kendari, Sulawesi Tenggara",
    "Jl. Raya Sarilamak, Kab. Lima Puluh Kota Payakumbuh",
    "Nagari Koto Tuo, Payakumbuh, Lima Puluh Kota",
    "Jl. Sultan Hasanudin, Kec. Tambun Selatan, Bekasi, Jawa Barat",
    "Kel. Kota Baru, Alok Timur, Sikka",
    "Jl. Sudirman 5, Kota Baru, Jambi",
    "Desa Loa Kulu Kota, Kec. Loa Kulu, Kab. Kutai Kartanegara",
]


def test_names_are_loaded_per_regency_until_a_file_spans_many(db, django_assert_num_queries, monkeypatch):
    from sentra.regions import addresses

    addresses._REFERENCE.clear()
    with django_assert_num_queries(3):  # the count, provinces and regencies, then Kendari's districts and villages
        matcher = RegionMatcher()
        assert matcher.match(LAZY_ADDRESSES[0])[0]["village"] == "74.71.03.1002"
    with django_assert_num_queries(0):
        assert matcher.match(LAZY_ADDRESSES[1])[0]["village"] == "74.71.03.1002"
        assert matcher.display("74.71.03.1002") == "Lepo Lepo"
    lazy = [matcher.match(address) for address in LAZY_ADDRESSES]
    assert matcher.ref.known is None
    # The whole country in one query (a file naming many regencies) and every name known (signatures): the
    # answers are the same.
    addresses._REFERENCE.clear()
    monkeypatch.setattr(addresses.Reference, "LAZY_REGENCIES", 0)
    matcher = RegionMatcher()
    with django_assert_num_queries(2):
        matcher.ref.load_known()
        matcher.match(LAZY_ADDRESSES[0])
    assert matcher.ref.known is not None and len(matcher.ref.districts) == 514
    assert [matcher.match(address) for address in LAZY_ADDRESSES] == lazy
