"""The roster import: upload an Excel file, see every row checked, then import it (issue 8).

Between the preview and the import the file is kept on the server under a random name; the page carries only a
signed token naming that file, its rows and the user (valid for an hour); a file checked but never imported is
deleted a day later. The import checks the rows again, since the roster may have changed meanwhile: in the request,
or for a file of more than IMPORT_INLINE_ROWS rows as a background job whose page shows its progress (issue 13).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from anding import audit, jobs
from anding.generic import ScopedSummaryView
from anding.sheets import keep_upload, kept_upload

from .. import actions
from ..forms import MemberImportForm
from ..roster_import import check_rows, read_rows, template_response

__all__ = ["MemberImportTemplateView", "MemberImportView"]

_SALT = "branches.member_import"


class ImportAccessMixin:
    kept = False  # an upload and its check (anding.kept)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not actions.may_import_members(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class MemberImportTemplateView(ImportAccessMixin, ScopedSummaryView):
    """The Excel template: the header row in the page's language and one example row."""

    def get(self, request, *args, **kwargs):
        return template_response(request.user)


class MemberImportView(ImportAccessMixin, ScopedSummaryView):
    """Upload → preview (errors by row and column, or what would be added) → import."""

    template_name = "branches/member_import.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", MemberImportForm())
        return super().get_context_data(title=_("Import members from Excel"), **kwargs)

    def post(self, request, *args, **kwargs):
        if "token" in request.POST:
            return self.import_kept(request.POST["token"])
        form = MemberImportForm(request)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            check = check_rows(request.user, form.rows)
        except ValidationError as exc:  # too many rows answering ID-number lookups
            form.add_error("file", exc)
            return self.render_to_response(self.get_context_data(form=form))
        audit.record("member_import_check", actor=request.user, detail=check.counts())
        token = (
            keep_upload(request.user, form.cleaned_data["file"], salt=_SALT, rows=check.read)
            if not check.errors and check.new
            else None
        )
        return self.render_to_response(self.get_context_data(check=check, token=token))

    def import_kept(self, token):
        kept = kept_upload(self.request.user, token, salt=_SALT)
        if kept is None:
            messages.error(self.request, _("The checked file has expired; upload it again."))
            return redirect("branches:member_import")
        name = kept["file"]
        if kept.get("rows", 0) > settings.IMPORT_INLINE_ROWS:
            title = _("Party members") + f" ({kept['rows']})"  # the job page heads it "Import: Party members (600)"
            path = reverse("branches:member_list")
            job = jobs.start(
                self.request.user, kind="member_import", title=title, path=path, total=kept["rows"], upload=name
            )
            return redirect(job)
        try:
            with default_storage.open(name, "rb") as kept:
                rows = read_rows(kept)
            check = actions.member_import(actor=self.request.user, rows=rows, previewed=True)
        except ValidationError as exc:
            check = getattr(exc, "check", None)
            if check is None:
                messages.error(self.request, exc.messages[0])
                return redirect("branches:member_import")
            return self.render_to_response(self.get_context_data(check=check))
        default_storage.delete(name)
        messages.success(
            self.request,
            _("Imported %(created)d members; %(skipped)d were already on the roster.")
            % {"created": len(check.new), "skipped": len(check.skipped)},
        )
        return redirect(reverse("branches:member_list"))
