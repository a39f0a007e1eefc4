from gongshang.core import regions


def test_get_region():
    r = regions.get_region("370202")
    assert r == regions.Region(code="370202", name="市南区", level="county", parent="370200")
    assert regions.get_region("999999") is None
    assert regions.get_region(None) is None


def test_is_valid_region():
    assert regions.is_valid_region("370200")
    assert regions.is_valid_region("370000")
    assert not regions.is_valid_region("370299")
    assert not regions.is_valid_region("")


def test_full_name_skips_placeholders():
    assert regions.full_name("370202") == "山东省青岛市市南区"
    assert regions.full_name("370200") == "山东省青岛市"
    assert regions.full_name("110101") == "北京市东城区"
    assert regions.full_name("110100") == "北京市"
    assert regions.full_name("500229") == "重庆市城口县"
    assert regions.full_name("429004") == "湖北省仙桃市"
    assert regions.full_name("999999") == ""


def test_pooling_region_of():
    assert regions.pooling_region_of("370202") == "370200"
    assert regions.pooling_region_of("370200") == "370200"
    assert regions.pooling_region_of("370000") is None
    assert regions.pooling_region_of("999999") is None
    # Municipalities are one pooling region each, coded as their 市辖区 row.
    assert regions.pooling_region_of("110108") == "110100"
    assert regions.pooling_region_of("310101") == "310100"
    assert regions.pooling_region_of("500229") == "500100"  # a 重庆 county under the "县" row
    # County-level cities directly under a province are their own pooling region.
    assert regions.pooling_region_of("429004") == "429004"
    # 东莞 has no counties: the city itself.
    assert regions.pooling_region_of("441900") == "441900"


def test_children_and_cities():
    names = [r.name for r in regions.children("370200")]
    assert "市南区" in names and "胶州市" in names
    assert all(r.parent == "370200" for r in regions.children("370200"))
    assert regions.children("441900") == []  # the duplicated county row is not its own child
    cities = regions.cities_of_province("370000")
    assert len(cities) == 16
    assert {c.level for c in cities} == {"city"}


def test_all_provinces_loaded():
    assert len(regions.provinces()) == 31


def test_pooling_region_choices():
    choices = regions.pooling_region_choices(["370000"])
    assert ("370200", "山东省青岛市") in choices
    assert all(code.startswith("37") for code, _ in choices)
    everything = dict(regions.pooling_region_choices())
    assert everything["110100"] == "北京市"
    assert "500200" not in everything
    assert "429000" not in everything and "429004" in everything
    assert all(regions.pooling_region_of(code) == code for code in everything)
