"""Tables as downloads: CSV that Excel opens in UTF-8, and XLSX.

Every export goes through spreadsheet(), and every cell through cell(), so that nothing a
learner, instructor or editor typed (a name, an organisation, a workshop title) can reach
a spreadsheet program as a formula. A text that starts with a character spreadsheets read as
the start of a formula is neutralised; numbers stay numbers, however they start.
"""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils.functional import Promise

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Excel, LibreOffice and Google Sheets evaluate a cell typed or imported from CSV as a
# formula when it starts with one of the first four (OWASP "CSV injection"); some of them
# skip a leading tab or carriage return and then see the formula behind it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The apostrophe is the spreadsheet users' own way to say "this is text": typed before a
# cell it stops the formula, and it is what OWASP recommends for exports. It keeps the
# text readable, unlike a space (trimmed on import) or a quotation mark (ambiguous in CSV).
NEUTRALISER = "'"


def neutralised(text):
    """text, with an apostrophe in front when a spreadsheet would read it as a formula."""
    return NEUTRALISER + text if text.startswith(FORMULA_STARTS) else text


def cell(value):
    """A value as written to a spreadsheet: None as empty, Decimal as a number, and text
    neutralised. Only text is touched: -3 written as a number stays the number -3."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Promise):  # a lazily translated label
        value = str(value)
    if isinstance(value, str):
        return neutralised(value)
    return value


def spreadsheet(rows, stem, fmt, sheet_title):
    """A download of rows as `stem.csv` or `stem.xlsx` (fmt "csv" or "xlsx")."""
    rows = [[cell(value) for value in row] for row in rows]
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        # The byte-order mark lets Excel read Arabic and accents as UTF-8.
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(workbook(rows, sheet_title), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


def workbook(rows, sheet_title):
    """The rows as the bytes of an XLSX file, every text cell stored as a string."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING

    book = Workbook()
    sheet = book.active
    sheet.title = str(sheet_title)[:31]
    for row_number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if isinstance(value, str):
                # XML cannot hold these control characters (openpyxl would refuse the whole
                # file); a CSV keeps them, an XLSX cannot.
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            target = sheet.cell(row=row_number, column=column, value=value)
            if isinstance(value, str):
                # openpyxl guesses a formula from a leading "=" and an error from "#N/A";
                # a text cell is always stored as text, whatever it starts with.
                target.data_type = TYPE_STRING
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
