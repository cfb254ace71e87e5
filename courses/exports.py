"""Tables as downloads: CSV that Excel opens in UTF-8, and XLSX."""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell(value):
    if value is None:
        return ""
    return float(value) if isinstance(value, Decimal) else value


def spreadsheet(rows, stem, fmt, sheet_title):
    """A download of rows as `stem.csv` or `stem.xlsx` (fmt "csv" or "xlsx")."""
    rows = [[cell(value) for value in row] for row in rows]
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        # The byte-order mark lets Excel read Arabic and accents as UTF-8.
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = str(sheet_title)[:31]
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response
