"""Where uploaded and generated files live: the file system, or an S3-compatible bucket.

Setting S3_BUCKET switches Django's default storage to django-storages' S3 backend. The
bucket stays private: objects are written without an ACL, and every URL the storage hands
out is signed and expires (S3_URL_EXPIRE seconds). Credentials are never Django settings:
boto3 reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or an instance role) from the
environment itself, so no settings dump or error page can show them.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

FILE_SYSTEM = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
S3 = "storages.backends.s3.S3Storage"
AWS_REGION = "us-east-1"  # what S3-compatible servers without regions expect


def s3_storage(bucket, endpoint_url="", region="", url_expire=3600, addressing_style=""):
    """A STORAGES entry for a private bucket, optionally on an S3-compatible server."""
    if not bucket:
        raise ImproperlyConfigured("S3_BUCKET names the bucket for media and certificates.")
    if url_expire <= 0:
        raise ImproperlyConfigured("S3_URL_EXPIRE must be a positive number of seconds.")
    return {
        "BACKEND": S3,
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region or AWS_REGION,
            # No ACL: objects are as private as the bucket. Never "public-read".
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": url_expire,
            # Two uploads of the same name keep both files, as on the file system.
            "file_overwrite": False,
            # Self-hosted servers (MinIO, Ceph, moto) answer on one host name: path style.
            "addressing_style": addressing_style or ("path" if endpoint_url else None),
            "signature_version": "s3v4",
        },
    }


def media_origins(storage):
    """Where pages load images from besides the site: the bucket's address on S3."""
    if storage.get("BACKEND") != S3:
        return []
    options = storage["OPTIONS"]
    endpoint = options.get("endpoint_url")
    if endpoint:
        parts = urlsplit(endpoint)
        return [f"{parts.scheme}://{parts.netloc}"]
    region = options.get("region_name") or AWS_REGION
    bucket = options["bucket_name"]
    if options.get("addressing_style") == "path":
        return [f"https://s3.{region}.amazonaws.com"]
    return [f"https://{bucket}.s3.amazonaws.com", f"https://{bucket}.s3.{region}.amazonaws.com"]
