"""Uploads with a ceiling.

Django bounds form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not files: a file of any size is
streamed to a temporary file before the view sees it. So a view that takes a file says how
much it accepts, and then:

- a request that declares a longer body (Content-Length) is answered before any of it is
  read (declared_too_large);
- the stream is capped: once the files of a request pass the cap, reading stops there,
  whatever length the request declared (cap).

Django reads the body when the CSRF check looks for the form's token, which is too early to
cap it. Such a view is therefore csrf_exempt and runs the check itself once the cap is in
place: the order Django's documentation gives for changing upload handlers.
"""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload

# Room around the file for the multipart wrapping: boundaries, part headers, the CSRF token
# and a few short fields.
FORM_OVERHEAD = 64 * 1024


def declared_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django reads a body of unknown length as empty


def declared_too_large(request, limit):
    """Whether the request announces more than a form holding limit bytes of files."""
    return declared_length(request) > limit + FORM_OVERHEAD


class CappedUpload(FileUploadHandler):
    """Counts the bytes of the uploaded files and stops reading the request once they pass
    the cap; the handlers after it store what it lets through."""

    def __init__(self, limit, request=None):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            # connection_reset: stop here instead of reading the rest of the body to discard it.
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler holds the file


def cap(request, limit):
    """Caps the files of this request at limit bytes in all. Call it before request.POST or
    request.FILES is first read; the handler returned says afterwards (`exceeded`) whether
    the cap cut the upload short."""
    handler = CappedUpload(limit, request)
    # Assigning (not inserting) makes Django refuse if the body has already been parsed.
    request.upload_handlers = [handler, *request.upload_handlers]
    return handler
