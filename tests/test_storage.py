"""File storage: certificates, room ZIPs, handouts and media on a private S3-compatible bucket.

The bucket is moto's S3 server, started on a free local port: the real S3 protocol over HTTP,
through django-storages and boto3 as in production. The file-system default is what every
other test uses.
"""

import hashlib
import io
import re
import subprocess
import sys
import uuid
import zipfile
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen

from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage, storages
from django.core.management import call_command
from django.utils import timezone

import boto3
import pytest
from moto.server import ThreadedMotoServer

from config.storage import media_origins, s3_storage
from courses import certificates, handout_store, workshops
from courses.models import Certificate, CertificateTemplate, Enrolment, LessonPage
from tests import factories
from tests.test_certificates import named
from tests.test_handout import handout_url, make_module
from tests.test_workshops import add_people, make_instructor, make_workshop

pytestmark = pytest.mark.django_db
ACCESS_KEY = "test-access-key"
SECRET_KEY = "test-secret-key-never-in-settings"  # noqa: S105  (moto accepts any)


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's S3 server in a thread, on a port the system picks."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


class Bucket:
    def __init__(self, name, client):
        self.name, self.client = name, client

    def keys(self, prefix=""):
        listed = self.client.list_objects_v2(Bucket=self.name, Prefix=prefix)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, key):
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """A new, empty bucket as the default storage. Changing STORAGES through the settings
    fixture sends setting_changed, on which Django drops its cached storage backends (and
    again when the test ends, back to the file system)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    name = f"ea-{uuid.uuid4().hex[:16]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=name)
    settings.STORAGES = settings.STORAGES | {
        "default": s3_storage(name, endpoint_url=s3_endpoint, url_expire=300)
    }
    cache.clear()
    yield Bucket(name, client)
    cache.clear()


@pytest.fixture
def small(all_locales):
    return factories.make_tree(modules=1, lessons_per_module=1)


def issue(learner, small):
    return certificates.issue_certificate(named(learner), small.course.translation_key, "en")


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def is_public(grants):
    return any("AllUsers" in grant["Grantee"].get("URI", "") for grant in grants)


class TestCertificatesInTheBucket:
    def test_issuing_a_certificate_writes_its_pdf_to_the_bucket(self, bucket, learner, small):
        certificate = issue(learner, small)
        assert bucket.keys("certificates/") == [certificate.pdf.name]
        stored = bucket.read(certificate.pdf.name)
        assert stored.startswith(b"%PDF")
        assert hashlib.sha256(stored).hexdigest() == certificate.pdf_sha256

    def test_the_pdf_object_is_not_public(self, bucket, learner, small):
        certificate = issue(learner, small)
        acl = bucket.client.get_object_acl(Bucket=bucket.name, Key=certificate.pdf.name)
        assert acl["Grants"] and not is_public(acl["Grants"])

    def test_the_verify_pages_pdf_link_downloads_the_bytes_in_the_bucket(
        self, client, bucket, learner, small
    ):
        certificate = issue(learner, small)
        page = client.get(f"/en/verify/{certificate.code}/").content.decode()
        (link,) = re.findall(r'href="([^"]+)">The issued PDF<', page)
        assert bucket.name not in page  # the bucket's address never reaches the page
        response = client.get(link)
        assert response.status_code == HTTPStatus.OK
        assert response["Content-Type"] == "application/pdf"
        assert body(response) == bucket.read(certificate.pdf.name)

    def test_a_revoked_certificates_pdf_is_not_handed_out(self, client, bucket, learner, small):
        certificate = issue(learner, small)
        staff = factories.make_user("staff@example.org", is_staff=True)
        certificates.revoke(certificate, staff, "Issued to the wrong person")
        response = client.get(f"/en/verify/{certificate.code}/certificate.pdf")
        assert response.status_code == HTTPStatus.NOT_FOUND
        assert bucket.keys("certificates/") == [certificate.pdf.name]  # kept, not served

    def test_the_json_twin_links_to_our_view_not_to_the_bucket(
        self, client, bucket, learner, small
    ):
        certificate = issue(learner, small)
        data = client.get(f"/en/verify/{certificate.code}.json").json()
        assert data["pdf_url"] == f"http://testserver/en/verify/{certificate.code}/certificate.pdf"
        assert body(client.get(data["pdf_url"])) == bucket.read(certificate.pdf.name)

    def test_the_certificates_logo_is_read_from_the_bucket(self, bucket, learner, small):
        logo = factories.make_image(width=300, height=120, kind="PNG", title="Academy logo")
        assert bucket.keys("original_images/") == [logo.file.name]
        CertificateTemplate.objects.create(
            name="Site-wide",
            issuer_name="Evidence Academy",
            logo=logo,
            locale=factories.locale("en"),
        )
        with_logo = issue(learner, small).pdf.open("rb").read()
        assert b"/Subtype /Image" in with_logo

    def test_a_logo_missing_from_the_bucket_leaves_it_off_the_certificate(
        self, bucket, learner, small
    ):
        logo = factories.make_image(width=300, height=120, kind="PNG", title="Academy logo")
        bucket.client.delete_object(Bucket=bucket.name, Key=logo.file.name)
        CertificateTemplate.objects.create(
            name="Site-wide",
            issuer_name="Evidence Academy",
            logo=logo,
            locale=factories.locale("en"),
        )
        certificate = issue(learner, small)
        assert certificate.is_valid
        assert b"/Subtype /Image" not in certificate.pdf.open("rb").read()


class TestRoomZip:
    def test_the_room_zip_is_prepared_into_the_bucket_from_its_pdfs(self, client, bucket, tree):
        instructor = make_instructor()
        workshop = make_workshop(tree, instructor)
        done, other = add_people(workshop, 2)
        for user in (done, other):
            Enrolment.objects.create(
                user=user, course_key=workshop.course_key, completed_at=timezone.now()
            )
        workshops.issue_for_room(workshop, instructor)
        issued = list(Certificate.objects.all())
        assert len(issued) >= 2 and len(bucket.keys("certificates/")) == len(issued)
        client.force_login(instructor)
        # Prepared by the worker into the bucket, downloaded through our view.
        page = client.get(f"/en/teach/{workshop.pk}/certificates.zip").url
        factories.run_tasks()
        (stored,) = bucket.keys("prepared/")
        assert stored.endswith(".zip")
        response = client.get(f"{page}file/")
        assert response.status_code == HTTPStatus.OK
        data = body(response)
        assert data == bucket.read(stored)
        acl = bucket.client.get_object_acl(Bucket=bucket.name, Key=stored)
        assert not is_public(acl["Grants"])
        archive = zipfile.ZipFile(io.BytesIO(data))
        assert len(archive.namelist()) == len(issued)
        for certificate in issued:
            (name,) = [n for n in archive.namelist() if certificate.code in n]
            assert archive.read(name) == bucket.read(certificate.pdf.name)


class TestHandouts:
    def test_a_handout_is_rendered_into_the_bucket_and_served_from_it(
        self, client, bucket, all_locales, monkeypatch
    ):
        module = make_module(lessons=1).modules[0]
        first = client.get(handout_url(module))
        assert first.status_code == HTTPStatus.OK
        (key,) = bucket.keys("handouts/")
        assert key.startswith(f"handouts/{module.pk}/")
        assert body(first) == bucket.read(key) and bucket.read(key).startswith(b"%PDF")
        renders = []
        monkeypatch.setattr(
            handout_store, "render_module_handout", lambda *a, **k: renders.append(1) or b""
        )
        assert body(client.get(handout_url(module))) == bucket.read(key)
        assert renders == []

    def test_publishing_replaces_the_stored_handout(self, client, bucket, all_locales):
        tree = make_module(lessons=1)
        module = tree.modules[0]
        client.get(handout_url(module))
        (old,) = bucket.keys("handouts/")
        lesson = LessonPage.objects.get(pk=tree.lessons[0].pk)
        lesson.title = "Lesson 1.1, revised"
        factories.publish(lesson)
        second = body(client.get(handout_url(module)))
        (new,) = bucket.keys("handouts/")
        assert new != old and second == bucket.read(new)

    def test_a_handout_deleted_from_the_bucket_is_rendered_again(self, client, bucket, all_locales):
        module = make_module(lessons=1).modules[0]
        client.get(handout_url(module))
        (key,) = bucket.keys("handouts/")
        bucket.client.delete_object(Bucket=bucket.name, Key=key)
        response = client.get(handout_url(module))
        assert response.status_code == HTTPStatus.OK
        (again,) = bucket.keys("handouts/")
        assert body(response) == bucket.read(again)


class TestMedia:
    def test_image_renditions_have_signed_expiring_urls_that_load(self, bucket, all_locales):
        image = factories.make_image(width=900, height=500)
        rendition = image.get_rendition("width-480|format-webp")
        url = rendition.url
        query = parse_qs(urlsplit(url).query)
        assert query["X-Amz-Expires"] == ["300"] and "X-Amz-Signature" in query
        with urlopen(url) as answer:  # noqa: S310  (our local test server)
            assert answer.read() == bucket.read(rendition.file.name)

    def test_the_bucket_is_allowed_as_an_image_source_only_when_configured(self, s3_endpoint):
        assert media_origins(s3_storage("b", endpoint_url=s3_endpoint + "/")) == [s3_endpoint]
        assert media_origins({"BACKEND": "django.core.files.storage.FileSystemStorage"}) == []

    def test_a_document_download_goes_through_wagtails_view_to_a_signed_url(
        self, client, bucket, all_locales
    ):
        from wagtail.documents import get_document_model

        document = get_document_model().objects.create(
            title="Preservation request form",
            file=ContentFile(b"%PDF-1.4 form", name="preservation-request.pdf"),
        )
        response = client.get(document.url)
        assert response.status_code == HTTPStatus.FOUND
        assert "X-Amz-Signature" in response["Location"]
        with urlopen(response["Location"]) as answer:  # noqa: S310  (our local test server)
            assert answer.read() == b"%PDF-1.4 form"

    def test_copying_a_media_folder_into_the_bucket_keeps_names(self, bucket, tmp_path):
        (tmp_path / "certificates").mkdir()
        (tmp_path / "certificates" / "abc.pdf").write_bytes(b"%PDF old")
        (tmp_path / "handouts").mkdir()
        (tmp_path / "handouts" / "h.pdf").write_bytes(b"%PDF handout")
        bucket.client.put_object(Bucket=bucket.name, Key="handouts/h.pdf", Body=b"newer")
        out = io.StringIO()
        call_command("copy_media_to_storage", source=str(tmp_path), stdout=out)
        assert bucket.keys() == ["certificates/abc.pdf", "handouts/h.pdf"]
        assert bucket.read("certificates/abc.pdf") == b"%PDF old"
        assert bucket.read("handouts/h.pdf") == b"newer"  # already there: left alone
        assert "Copied 1 files; 1 already in the storage." in out.getvalue()


class TestConfiguration:
    def test_the_file_system_is_the_default(self):
        assert isinstance(storages["default"], FileSystemStorage)
        assert default_storage.path("certificates/x.pdf").startswith(
            str(django_settings.MEDIA_ROOT)
        )

    def test_handouts_are_stored_on_the_file_system_by_default(
        self, client, settings, tmp_path, all_locales
    ):
        settings.MEDIA_ROOT = tmp_path
        cache.clear()
        module = make_module(lessons=1).modules[0]
        response = client.get(handout_url(module))
        (stored,) = (tmp_path / "handouts" / str(module.pk)).iterdir()
        assert response.content == stored.read_bytes()

    def test_the_certificates_logo_is_read_from_the_file_system(
        self, settings, tmp_path, learner, small
    ):
        settings.MEDIA_ROOT = tmp_path
        logo = factories.make_image(width=300, height=120, kind="PNG", title="Academy logo")
        assert (tmp_path / logo.file.name).is_file()
        CertificateTemplate.objects.create(
            name="Site-wide",
            issuer_name="Evidence Academy",
            logo=logo,
            locale=factories.locale("en"),
        )
        assert b"/Subtype /Image" in issue(learner, small).pdf.open("rb").read()

    def test_s3_settings_keep_objects_private_and_urls_short_lived(self):
        options = s3_storage("academy", url_expire=600)["OPTIONS"]
        assert options["default_acl"] is None
        assert options["querystring_auth"] is True and options["querystring_expire"] == 600
        assert options["file_overwrite"] is False
        assert "access_key" not in options and "secret_key" not in options

    @pytest.mark.parametrize(("bucket", "expire"), [("", 3600), ("academy", 0)])
    def test_a_missing_bucket_or_a_bad_expiry_stops_start_up(self, bucket, expire):
        with pytest.raises(ImproperlyConfigured):
            s3_storage(bucket, url_expire=expire)

    def test_production_reads_s3_from_the_environment_and_never_shows_the_secret(self):
        environment = {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "academy.example.org",
            "S3_BUCKET": "academy-files",
            "S3_ENDPOINT_URL": "https://objects.example.org",
            "S3_REGION": "eu-west-3",
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "PATH": "/usr/bin:/bin",
        }
        dump = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "diffsettings", "--all"],
            env=environment,
            cwd=django_settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "storages.backends.s3.S3Storage" in dump and "academy-files" in dump
        assert "https://objects.example.org" in dump and "eu-west-3" in dump
        assert SECRET_KEY not in dump and ACCESS_KEY not in dump
