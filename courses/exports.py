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
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from courses import brand
from courses.programme.tables import legend

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


CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX}


def spreadsheet(rows, stem, fmt, sheet_title):
    """A download of rows as `stem.csv` or `stem.xlsx` (fmt "csv" or "xlsx")."""
    response = HttpResponse(
        spreadsheet_bytes(rows, fmt, sheet_title), content_type=CONTENT_TYPES[fmt]
    )
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


def spreadsheet_bytes(rows, fmt, sheet_title):
    """The file spreadsheet() sends, as bytes (a prepared file stores them)."""
    rows = [[cell(value) for value in row] for row in rows]
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        # The byte-order mark lets Excel read Arabic and accents as UTF-8.
        return ("\ufeff" + out.getvalue()).encode()
    return workbook(rows, sheet_title)


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


# --- The programme report as rows ----------------------------------------------------------


def report_rows(report, filters):
    """The programme report (courses/programme) as a spreadsheet's rows: what was asked, then
    every table."""
    return header_rows(filters) + table_rows(report)


def header_rows(filters):
    rows = [
        [_("%(site_name)s — programme report") % {"site_name": brand.site_name()}],
        [_("Generated"), timezone.now().strftime("%Y-%m-%d %H:%M UTC")],
    ]
    if filters.labels:
        rows += [[_("Filter: %(name)s") % {"name": name}, value] for name, value in filters.labels]
    else:
        rows.append([_("Filters"), _("none (everyone)")])
    rows.append([_("Small-cell rule"), legend(filters.threshold)])
    rows.append(
        [
            _("Minimum group"),
            _("a filtered report of fewer than %(minimum)d people shows nothing else")
            % {"minimum": filters.min_group},
        ]
    )
    return rows


def table_rows(report):
    if report.get("withheld"):
        return [[], [report["withheld"]]]
    rows = [[report["as_of"]]] if report.get("as_of") else []  # stored figures' time
    for table in report["tables"]:
        rows += table_block(table)
    followup = report.get("followup") or {}
    if followup.get("withheld"):
        rows += [[], [followup["withheld"]]]
    for table in followup.get("tables", []):
        rows += table_block(table)
    return rows


def table_block(table):
    rows = [[], [table.title], table.columns, *table.rows]
    if table.note:
        rows.append([table.note])
    return rows
