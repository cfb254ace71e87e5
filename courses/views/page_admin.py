"""Wagtail's page edit view, made safe for a busy SQLite database.

SQLite lets one connection write at a time. A publish that meets another writer (the
editor's own autosave, a colleague saving) waits for it up to the busy timeout
(``SQLITE_TIMEOUT``, config/settings/base.py). If the database is still busy after that,
Wagtail's view failed with a 500 "database is locked" and the editor's changes went with the
page. Here the save or publish runs as one transaction, so it happens completely or not at
all, and on that error the editor gets the form back as they sent it, with a message:
nothing was saved and nothing was lost.
"""

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.db import OperationalError, transaction
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.pages.edit import EditView


def database_is_busy(error):
    """SQLite's answer when another connection kept the write lock past the timeout."""
    return isinstance(error, OperationalError) and "database is locked" in str(error)


def read_while_parsing_the_form(error):
    """Whether ``error`` was raised while a widget read the posted data: a request the editor
    never sends (a block without its count, rich text that is not JSON) — a script's."""
    trace = error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_name == "value_from_datadict":
            return True
        trace = trace.tb_next
    return False


class PageEditView(EditView):
    """Wagtail's edit view: the save or publish all or nothing; a busy database gives the
    form back with the editor's changes in it; data no editor form sends is a 400."""

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except (KeyError, ValueError, TypeError, AttributeError) as error:
            if not read_while_parsing_the_form(error):
                raise
            raise BadRequest("The page form's data is malformed.") from error

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except OperationalError as error:
            if not database_is_busy(error):
                raise
        return self.database_busy()

    def database_busy(self):
        if self.action_name == "publish":
            message = _("The database was busy; nothing was lost — publish again.")
        else:
            message = _("The database was busy; nothing was lost — save again.")
        if self.expects_json_response:  # autosave: its next run tries again
            return self.json_error_response("database_busy", message)
        # The page as stored: whatever the rolled-back work did to it in memory is undone.
        self.page = self.get_object()
        self.has_unsaved_changes = True
        self.database_was_busy = True
        messages.error(self.request, message)
        return self.render_to_response(self.get_context_data())

    def get_editing_sessions(self):
        # Wagtail records who is editing as it renders the form: a write, which the busy
        # database would refuse again. The next page load records it.
        if getattr(self, "database_was_busy", False):
            return None
        return super().get_editing_sessions()


# Decorated as Wagtail decorates its admin URLs.
edit_page = never_cache(require_admin_access(PageEditView.as_view()))
