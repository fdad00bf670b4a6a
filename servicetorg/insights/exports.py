"""Every table of the dashboard as a file: CSV and Excel (.xlsx), with the numbers of the page."""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Cell = int | float | Decimal | str | None


@dataclass
class Table:
    """A table as shown on the page: its key names the export, every cell is a number or text."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)


def spreadsheet_safe(value: Cell) -> Cell:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay."""
    if value is not None and not isinstance(value, int | float | Decimal):
        value = str(value)  # lazily translated labels, too
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _text(value: Cell) -> str:
    return "" if value is None else str(spreadsheet_safe(value))


def csv_response(table: Table, filename: str) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_text(column) for column in table.columns])
    for row in table.rows:
        writer.writerow([_text(cell) for cell in row])
    # The byte order mark makes spreadsheets read the file as UTF-8 (æ, ø, å).
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(table: Table, filename: str) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    # A sheet title may hold at most 31 characters and none of []:*?/\ .
    sheet.title = "".join(c for c in table.title if c not in "[]:*?/\\")[:31] or table.key
    sheet.append([spreadsheet_safe(str(column)) for column in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([spreadsheet_safe(cell) for cell in row])
    # openpyxl stores text starting with "=" as a formula: keep every text cell a string.
    for row in sheet.iter_rows(min_row=1):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def export_response(table: Table, filename: str, fmt: str) -> HttpResponse:
    return xlsx_response(table, filename) if fmt == "xlsx" else csv_response(table, filename)
