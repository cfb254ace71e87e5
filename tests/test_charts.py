"""SVG charts for reports: well-formed, accessible, proportional, private and mirrored for RTL."""

import xml.etree.ElementTree as ET

import pytest

from courses.charts import funnel, monthly_bars, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"

STEPS = [
    ("Enrolled", 120, "120"),
    ("Started", 90, "90"),
    ("Passed the post-test", 30, "30"),
]
MONTHS = ["2026-01", "2026-02", "2026-03"]
SERIES = [
    ("Enrolled", [40, 10, 25], ["40", "10", "25"]),
    ("Completed", [20, 5, 0], ["20", "5", "0"]),
]


def parse(markup):
    return ET.fromstring(markup)  # noqa: S314 - our own output, parsed to prove it is well-formed


def texts(root, css_class=None):
    return [
        "".join(element.itertext())
        for element in root.iter(f"{SVG}text")
        if css_class is None or css_class in element.get("class", "").split()
    ]


def bars(root):
    """Bars drawn to scale (not legend swatches, not suppressed stubs)."""
    return [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "chart-bar"]


def stubs(root):
    return [
        rect
        for rect in root.iter(f"{SVG}rect")
        if "chart-bar-suppressed" in rect.get("class", "").split()
    ]


def number(element, name):
    return float(element.get(name))


def view_width(root):
    return float(root.get("viewBox").split()[2])


def ids(root):
    return {element.get("id") for element in root.iter() if element.get("id")}


def month_groups(root):
    return [group for group in root.iter(f"{SVG}g") if group.get("class") == "chart-month"]


def both_charts(label="Enrolled", shown="12", month="2026-01", title="Chart", description=""):
    return [
        funnel([(label, 12, shown), ("Completed", None, "<5")], title, description),
        monthly_bars(
            [month, "2026-02"],
            [(label, [12, None], [shown, "<5"])],
            title,
            description,
        ),
    ]


# --- Both charts -------------------------------------------------------------------------


@pytest.mark.parametrize("markup", both_charts(title="Enrolments", description="In 2026."))
def test_chart_is_one_image_named_by_its_title_and_described_by_its_desc(markup):
    root = parse(markup)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Enrolments"
    assert desc.text.startswith("In 2026.")
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")


@pytest.mark.parametrize("markup", both_charts())
def test_description_states_every_number_including_suppressed_ones(markup):
    desc = parse(markup).find(f"{SVG}desc").text
    assert "Enrolled" in desc and "12" in desc
    assert "<5" in desc


@pytest.mark.parametrize("markup", both_charts())
def test_chart_scales_with_its_container_instead_of_a_pixel_size(markup):
    root = parse(markup)
    assert root.get("width") == "100%"
    assert root.get("height") is None
    assert len(root.get("viewBox").split()) == 4 and view_width(root) > 0


@pytest.mark.parametrize("markup", both_charts())
def test_text_is_at_least_12_units_high(markup):
    root = parse(markup)
    sizes = [float(root.get("font-size"))]
    sizes += [float(el.get("font-size")) for el in root.iter() if el.get("font-size")]
    assert min(sizes) >= 12


@pytest.mark.parametrize("markup", both_charts())
def test_chart_has_no_script_and_no_event_handlers(markup):
    root = parse(markup)
    assert not list(root.iter(f"{SVG}script"))
    assert not [name for el in root.iter() for name in el.attrib if name.startswith("on")]


HOSTILE = '<script>alert(1)</script>" onload="alert(2)'


@pytest.mark.parametrize(
    "markup",
    both_charts(label=HOSTILE, shown=HOSTILE, month=HOSTILE, title=HOSTILE, description=HOSTILE),
)
def test_labels_are_escaped_text_and_never_markup(markup):
    root = parse(markup)
    assert "<script" not in markup
    assert not list(root.iter(f"{SVG}script"))
    assert not [name for el in root.iter() for name in el.attrib if name.startswith("on")]
    assert root.find(f"{SVG}title").text == HOSTILE
    assert HOSTILE in root.find(f"{SVG}desc").text
    assert HOSTILE in texts(root)


@pytest.mark.parametrize(
    "markup", both_charts(label="Tab\x0bbed\x00 label", title="Title\x1b", shown="1\x082")
)
def test_control_characters_from_a_spreadsheet_keep_the_svg_well_formed(markup):
    root = parse(markup)
    assert "Tabbed label" in texts(root)
    assert root.find(f"{SVG}title").text == "Title"


def test_two_different_charts_on_one_page_do_not_share_ids():
    first = parse(monthly_bars(MONTHS, SERIES, "Enrolments"))
    second = parse(monthly_bars(MONTHS, SERIES[:1], "Enrolments"))
    assert ids(first) and not ids(first) & ids(second)


def test_unknown_direction_is_refused():
    with pytest.raises(ValueError, match="direction"):
        funnel(STEPS, "Funnel", direction="up")


# --- Funnel ------------------------------------------------------------------------------


def test_funnel_labels_every_step_and_its_value():
    root = parse(funnel(STEPS, "Funnel"))
    assert texts(root, "chart-label") == ["Enrolled", "Started", "Passed the post-test"]
    assert texts(root, "chart-value") == ["120", "90", "30"]


def test_funnel_bar_widths_are_proportional_to_the_first_step():
    widths = [number(rect, "width") for rect in bars(parse(funnel(STEPS, "Funnel")))]
    assert len(widths) == 3
    assert widths[1] / widths[0] == pytest.approx(90 / 120, abs=0.01)
    assert widths[2] / widths[0] == pytest.approx(30 / 120, abs=0.01)


def test_funnel_bars_start_at_the_same_edge_and_stay_inside_the_chart():
    root = parse(funnel(STEPS, "Funnel"))
    lefts = {number(rect, "x") for rect in bars(root)}
    assert len(lefts) == 1
    assert all(number(r, "x") + number(r, "width") < view_width(root) for r in bars(root))


def test_suppressed_funnel_step_is_an_empty_outlined_stub_with_its_shown_text():
    steps = [*STEPS, ("Certified", None, "<5")]
    root = parse(funnel(steps, "Funnel"))
    assert len(bars(root)) == 3
    [stub] = stubs(root)
    assert stub.get("fill") == "none" and stub.get("stroke-dasharray")
    assert number(stub, "width") < number(bars(root)[-1], "width") / 4  # a stub, not a bar
    assert texts(root, "chart-value")[-1] == "<5"
    assert "Certified" in texts(root, "chart-label")


def test_suppressed_stub_size_does_not_depend_on_the_other_numbers():
    small = parse(funnel([("A", 6, "6"), ("B", None, "<5")], "Funnel"))
    large = parse(funnel([("A", 6000, "6000"), ("B", None, "<5")], "Funnel"))
    assert stubs(small)[0].get("width") == stubs(large)[0].get("width")


@pytest.mark.parametrize("steps", [[], [("Enrolled", 0, "0"), ("Started", 0, "0")]])
def test_funnel_without_numbers_says_no_data(steps):
    root = parse(funnel(steps, "Funnel"))
    assert "No data" in root.find(f"{SVG}desc").text
    assert texts(root) == ["No data"]
    assert not bars(root)


def test_funnel_of_zeros_and_suppressed_steps_draws_without_dividing_by_zero():
    root = parse(funnel([("Enrolled", 0, "0"), ("Started", None, "<5")], "Funnel"))
    assert [number(rect, "width") for rect in bars(root)] == [0]
    assert len(stubs(root)) == 1


@pytest.mark.parametrize("value", [-1, 2.5, "7", True])
def test_funnel_refuses_values_that_are_not_counts(value):
    with pytest.raises(ValueError, match="count"):
        funnel([("Enrolled", value, "x")], "Funnel")


def test_rtl_funnel_bars_grow_from_the_right_edge():
    ltr = parse(funnel(STEPS, "Funnel"))
    rtl = parse(funnel(STEPS, "Funnel", direction="rtl"))
    width = view_width(rtl)
    rights = {round(number(r, "x") + number(r, "width"), 2) for r in bars(rtl)}
    assert rights == {round(width - number(bars(ltr)[0], "x"), 2)}
    assert [number(r, "width") for r in bars(rtl)] == [number(r, "width") for r in bars(ltr)]
    assert {text.get("direction") for text in rtl.iter(f"{SVG}text")} == {"rtl"}
    assert {text.get("direction") for text in ltr.iter(f"{SVG}text")} == {"ltr"}


# --- Monthly bars ------------------------------------------------------------------------


def test_each_month_groups_one_bar_per_series_labelled_with_its_value():
    root = parse(monthly_bars(MONTHS, SERIES, "Monthly"))
    groups = month_groups(root)
    assert len(groups) == 3
    assert all(len(list(group.iter(f"{SVG}rect"))) == 2 for group in groups)
    assert texts(root, "chart-value") == ["40", "20", "10", "5", "25", "0"]
    assert texts(root, "chart-month-label") == MONTHS


def test_bar_heights_are_proportional_to_the_values_and_share_a_baseline():
    root = parse(monthly_bars(MONTHS, SERIES, "Monthly"))
    drawn = bars(root)
    heights = [number(rect, "height") for rect in drawn]
    values = [40, 20, 10, 5, 25, 0]
    for height, value in zip(heights, values, strict=True):
        assert height / heights[0] == pytest.approx(value / 40, abs=0.01)
    assert len({round(number(r, "y") + number(r, "height"), 2) for r in drawn}) == 1


def test_legend_names_each_series_and_series_differ_by_pattern_not_colour_alone():
    root = parse(monthly_bars(MONTHS, SERIES, "Monthly"))
    assert texts(root, "chart-legend") == ["Enrolled", "Completed"]
    first, second = month_groups(root)[0].findall(f"{SVG}rect")
    assert first.get("fill") != second.get("fill")
    pattern_id = second.get("fill").removeprefix("url(#").removesuffix(")")
    pattern = root.find(f".//{SVG}pattern[@id='{pattern_id}']")
    assert pattern is not None and len(pattern) > 1  # a background and its marks
    swatches = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "chart-swatch"]
    assert [s.get("fill") for s in swatches] == [first.get("fill"), second.get("fill")]


def test_suppressed_month_draws_an_outlined_stub_with_its_shown_text():
    series = [("Enrolled", [40, None, 25], ["40", "<5", "25"])]
    root = parse(monthly_bars(MONTHS, series, "Monthly"))
    assert [number(rect, "height") for rect in bars(root)] == pytest.approx([200, 125], abs=0.1)
    [stub] = stubs(root)
    assert stub.get("fill") == "none" and stub.get("stroke-dasharray")
    assert texts(root, "chart-value") == ["40", "<5", "25"]
    assert "2026-02: Enrolled <5" in root.find(f"{SVG}desc").text


def test_only_suppressed_values_draw_stubs_without_dividing_by_zero():
    series = [("Enrolled", [None, 0], ["<5", "0"])]
    root = parse(monthly_bars(MONTHS[:2], series, "Monthly"))
    assert len(stubs(root)) == 1
    assert [number(rect, "height") for rect in bars(root)] == [0]
    assert texts(root, "chart-tick") == ["0"]


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [
        (0, [0]),
        (1, [0, 1]),
        (3, [0, 1, 2, 3]),
        (7, [0, 2, 4, 6, 8]),
        (40, [0, 10, 20, 30, 40]),
        (47, [0, 20, 40, 60]),
        (120, [0, 50, 100, 150]),
        (2600, [0, 1000, 2000, 3000]),
    ],
)
def test_axis_ticks_are_round_numbers_from_zero_to_at_least_the_maximum(maximum, ticks):
    assert nice_ticks(maximum) == ticks


def test_y_axis_shows_its_ticks_and_the_tallest_bar_reaches_the_matching_height():
    root = parse(monthly_bars(MONTHS, SERIES, "Monthly"))
    assert texts(root, "chart-tick") == ["0", "10", "20", "30", "40"]
    tallest = max(bars(root), key=lambda rect: number(rect, "height"))
    top_tick = next(el for el in root.iter(f"{SVG}text") if "".join(el.itertext()) == "40")
    assert number(tallest, "y") == pytest.approx(number(top_tick, "y") - 5)


@pytest.mark.parametrize(
    ("months", "series"),
    [
        ([], []),
        (MONTHS, []),
        ([], [("Enrolled", [], [])]),
        (MONTHS, [("Enrolled", [0, 0, 0], ["0", "0", "0"])]),
    ],
)
def test_empty_or_all_zero_input_says_no_data(months, series):
    root = parse(monthly_bars(months, series, "Monthly", "Enrolments per month."))
    assert root.find(f"{SVG}desc").text == "Enrolments per month. No data"
    assert texts(root) == ["No data"]
    assert not bars(root)


def test_crowded_month_labels_alternate_between_two_lines():
    months = [f"2026-{month:02d}" for month in range(1, 13)]
    series = [("Enrolled", list(range(12)), [str(value) for value in range(12)])]
    root = parse(monthly_bars(months, series, "Monthly"))
    heights = [number(el, "y") for el in root.iter(f"{SVG}text") if el.text in months]
    assert heights[0::2] == [heights[0]] * 6 and heights[1::2] == [heights[1]] * 6
    assert heights[1] > heights[0]
    roomy = parse(monthly_bars(MONTHS, SERIES, "Monthly"))
    assert len({number(el, "y") for el in roomy.iter(f"{SVG}text") if el.text in MONTHS}) == 1


def test_a_series_with_the_wrong_number_of_months_is_refused():
    with pytest.raises(ValueError, match="2 values"):
        monthly_bars(MONTHS, [("Enrolled", [1, 2], ["1", "2"])], "Monthly")
    with pytest.raises(ValueError, match="2 shown"):
        monthly_bars(MONTHS, [("Enrolled", [1, 2, 3], ["1", "2"])], "Monthly")


def test_rtl_months_run_right_to_left():
    root = parse(monthly_bars(MONTHS, SERIES, "Monthly", direction="rtl"))
    groups = month_groups(root)
    first_month = number(groups[0].find(f"{SVG}rect"), "x")
    last_month = number(groups[-1].find(f"{SVG}rect"), "x")
    assert first_month > last_month
    labels = {el.text: number(el, "x") for el in root.iter(f"{SVG}text") if el.text in MONTHS}
    assert labels["2026-01"] > labels["2026-02"] > labels["2026-03"]
    assert {text.get("direction") for text in root.iter(f"{SVG}text")} == {"rtl"}


def test_rtl_chart_is_the_mirror_image_of_the_ltr_one():
    ltr = parse(monthly_bars(MONTHS, SERIES, "Monthly"))
    rtl = parse(monthly_bars(MONTHS, SERIES, "Monthly", direction="rtl"))
    width = view_width(ltr)
    for left, right in zip(bars(ltr), bars(rtl), strict=True):
        mirrored = width - number(left, "x") - number(left, "width")
        assert number(right, "x") == pytest.approx(mirrored, abs=0.01)
        assert right.get("height") == left.get("height")
