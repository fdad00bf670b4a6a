"""Every dashboard table as CSV and Excel, with the page's numbers and no formulas."""

import csv
import io
from datetime import date

import openpyxl
import pytest

from servicetorg.accounts.constants import Role
from servicetorg.accounts.tests.cast import staff, staff_client
from servicetorg.insights.aggregation import refresh_months
from servicetorg.insights.exports import Table, csv_response, xlsx_response
from servicetorg.insights.models import DailyFigures
from servicetorg.insights.tables import TABLES

pytestmark = pytest.mark.django_db
QUERY = "?period=year&year=2025"


@pytest.fixture
def leader(molde, service):
    # Leads Molde, which has one service with figures in January and March 2025.
    DailyFigures.objects.create(
        municipality=molde,
        service=service,
        day=date(2025, 1, 5),
        received_digital=6,
        received_paper=4,
        decided=5,
        decided_in_time=4,
        decision_days={"2": 3, "9": 2},
    )
    DailyFigures.objects.create(
        municipality=molde, service=service, day=date(2025, 3, 5), received_email=2
    )
    refresh_months(molde, date(2025, 1, 1), date(2025, 3, 31))  # as the refresh keeps them
    return staff_client(staff(molde, "leder", Role.LEADER))


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def read_xlsx(response) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def page_tables(leader) -> dict[str, Table]:
    response = leader.get(f"/molde/innsikt/{QUERY}")
    tables = dict(response.context["tables"])
    tables["neighbours"] = leader.get(f"/molde/innsikt/naboer/{QUERY}").context["table"]
    return tables


def test_it_exports_every_table_with_the_page_numbers(leader):
    shown = page_tables(leader)
    assert set(shown) == set(TABLES)
    for key, table in shown.items():
        xlsx = leader.get(f"/molde/innsikt/eksport/{key}.xlsx{QUERY}")
        assert xlsx.status_code == 200
        assert xlsx["Content-Disposition"].startswith("attachment")
        rows = read_xlsx(xlsx)
        assert rows[0] == table.columns
        assert rows[1:] == table.rows, key
        text = read_csv(leader.get(f"/molde/innsikt/eksport/{key}.csv{QUERY}"))
        assert text[0] == table.columns
        assert text[1:] == [["" if c is None else str(c) for c in row] for row in table.rows]


def test_it_exports_the_figures_of_the_period(leader):
    rows = read_xlsx(leader.get(f"/molde/innsikt/eksport/channels.xlsx{QUERY}"))
    assert rows[1] == ["Digital", 6, 50.0]
    assert rows[-1] == ["Total", 12, 100.0]
    services = read_xlsx(leader.get(f"/molde/innsikt/eksport/services.xlsx{QUERY}"))
    assert services[-1][:6] == ["Total", 12, 50.0, 5, 2.0, 9.0]


def test_it_refuses_unknown_tables_and_formats(leader):
    assert leader.get("/molde/innsikt/eksport/cases.csv").status_code == 404
    assert leader.get("/molde/innsikt/eksport/services.pdf").status_code == 404


def test_it_neutralises_formulas_in_csv_and_excel():
    table = Table("t", "Test", ["=SUM(A1)", "Value"], [["+cmd|' /C calc'!A0", 5], ["@x", -3]])
    text = read_csv(csv_response(table, "t"))
    assert text == [["'=SUM(A1)", "Value"], ["'+cmd|' /C calc'!A0", "5"], ["'@x", "-3"]]
    book = openpyxl.load_workbook(io.BytesIO(xlsx_response(table, "t").content))
    sheet = book.active
    assert sheet["A1"].value == "'=SUM(A1)"
    assert sheet["A1"].data_type == "s"
    assert sheet["A2"].value == "'+cmd|' /C calc'!A0"
    assert sheet["B3"].value == -3  # numbers stay numbers


def test_it_refuses_exports_to_another_municipalitys_leader(leader, aukra):
    client = staff_client(staff(aukra, "leiar", Role.LEADER))
    assert client.get(f"/molde/innsikt/eksport/services.csv{QUERY}").status_code == 404
