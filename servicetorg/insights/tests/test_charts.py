"""The server-drawn SVG charts: well-formed, labelled, with their figures and a true summary."""

from xml.etree import ElementTree

import pytest
from django.utils import translation

from servicetorg.insights import charts

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def parsed(chart: charts.Chart) -> ElementTree.Element:
    return ElementTree.fromstring(str(chart.svg))


def a_line_chart(values=(0.41, 0.5, None, 0.68)) -> charts.Chart:
    summary = charts.trend_sentence("Digital share", 0.41, 0.68, "January", "April")
    return charts.line_chart(
        "share",
        "Digital share <by month>",
        ["Jan", "Feb", "Mar", "Apr"],
        [charts.Series("Digital & more", list(values))],
        summary,
        fmt=charts.percent,
        share=True,
    )


def test_it_draws_well_formed_svg_with_title_and_desc():
    root = parsed(a_line_chart())
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "share-title share-desc"
    assert root.find(f"{SVG}title").text == "Digital share <by month>"
    assert root.find(f"{SVG}desc").text.startswith("Digital share rose from 41 %")


def test_it_draws_a_line_and_a_marker_per_value():
    root = parsed(a_line_chart())
    assert len(root.findall(f"{SVG}polyline")) == 1
    assert len(root.findall(f"{SVG}circle")) == 3 + 1  # three values and the legend's marker


def test_it_follows_the_chart_with_its_figures():
    chart = a_line_chart()
    assert chart.columns == ["Month", "Digital & more"]
    assert chart.rows == [["Jan", "41 %"], ["Feb", "50 %"], ["Mar", "–"], ["Apr", "68 %"]]


def test_it_says_how_a_share_moved():
    assert (
        charts.trend_sentence("Digital share", 0.41, 0.68, "January", "December")
        == "Digital share rose from 41 % in January to 68 % in December."
    )
    assert (
        charts.trend_sentence("Digital share", 0.7, 0.52, "January", "March")
        == "Digital share fell from 70 % in January to 52 % in March."
    )
    assert (
        charts.trend_sentence("Digital share", 0.501, 0.499, "January", "March")
        == "Digital share stayed at 50 % from January to March."
    )
    assert charts.trend_sentence("X", 0.3, 0.3, "May", "May") == "X was 30 % in May."


def test_it_draws_a_bar_per_value():
    chart = charts.bar_chart("ch", "By channel", ["Digital", "Paper"], [30, 10], "Summary")
    root = parsed(chart)
    bars = root.findall(f"{SVG}rect")
    assert len(bars) == 2
    assert float(bars[0].get("width")) == pytest.approx(3 * float(bars[1].get("width")))
    assert chart.rows == [["Digital", "30"], ["Paper", "10"]]


def test_it_draws_nothing_wrong_without_figures():
    chart = charts.line_chart("empty", "Empty", [], [charts.Series("None", [])], "No figures")
    assert parsed(chart).find(f"{SVG}title").text == "Empty"
    chart = charts.bar_chart("none", "None", ["A"], [None], "No figures")
    assert parsed(chart).find(f"{SVG}rect").get("width") == "0.0"


def test_it_uses_colours_with_enough_contrast():
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for colour in [*charts.COLOURS, charts.TEXT, charts.AXIS]:
        assert 1.05 / (luminance(colour) + 0.05) >= 4.5, colour


def test_it_draws_the_dashboard_charts_as_valid_svg(client, molde, service):
    from datetime import date

    from servicetorg.accounts.constants import Role
    from servicetorg.accounts.tests.cast import staff, staff_client
    from servicetorg.insights.models import DailyFigures

    DailyFigures.objects.create(
        municipality=molde, service=service, day=date(2025, 3, 3), received_digital=2
    )
    leader = staff_client(staff(molde, "leder", Role.LEADER))
    response = leader.get("/molde/innsikt/?period=year&year=2025")
    for chart in response.context["charts"].values():
        root = parsed(chart)
        assert root.find(f"{SVG}title").text == chart.title
        assert root.find(f"{SVG}desc").text == chart.summary
        assert chart.summary in response.content.decode()
