"""The two ways to check a certificate: by its code, or by its PDF file.

A file is checked by content alone: it must start like a PDF, and its SHA-256
is computed chunk by chunk, so a large upload is never held in memory at once.
The upload handler stops saving an upload once it passes the limit, before the
form ever sees it.
"""

import hashlib

from django import forms
from django.utils.translation import gettext_lazy as _

from academy_site.uploads import UploadSizeLimitHandler
from certificates.selectors import CODE_PATTERN

MAX_PDF_BYTES = 10 * 1024 * 1024
TOO_LARGE = _("The file is larger than 10 MB, so it cannot be a certificate.")
NOT_A_PDF = _("This is not a PDF file.")
PDF_MAGIC = b"%PDF-"


class PdfSizeLimitHandler(UploadSizeLimitHandler):
    """A certificate is a few hundred kilobytes; 10 MB leaves room for any
    designed background without letting a visitor make the server store more."""

    limit = MAX_PDF_BYTES
    refusal = TOO_LARGE


class CodeForm(forms.Form):
    """The code printed on a certificate, or the whole verification link (as
    printed under the QR code), which is cut down to its code."""

    code = forms.CharField(
        label=_("Certificate code"),
        max_length=300,
        help_text=_(
            "The code at the end of the verification link printed on the "
            "certificate; you may paste the whole link."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "class": "code"}
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if "/verify/" in code:
            code = code.split("/verify/", 1)[1].split("?", 1)[0].strip("/")
        if not CODE_PATTERN.fullmatch(code):
            raise forms.ValidationError(
                _("This is not a certificate code: check what you typed.")
            )
        return code


class PdfUploadForm(forms.Form):
    """A PDF to compare, byte for byte, with the certificates the academy has
    issued. `sha256` holds the file's digest once the form is valid."""

    file = forms.FileField(
        label=_("Certificate PDF"),
        help_text=_("The certificate's PDF file, as you received it; at most 10 MB."),
        widget=forms.FileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def __init__(self, *args, refused: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.sha256 = ""
        if refused:
            # The handler dropped the file, so it arrives as missing: say why.
            field = self.fields["file"]
            field.error_messages = {**field.error_messages, "required": refused}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_PDF_BYTES:
            raise forms.ValidationError(TOO_LARGE)
        upload.seek(0)
        if upload.read(len(PDF_MAGIC)) != PDF_MAGIC:
            raise forms.ValidationError(NOT_A_PDF)
        upload.seek(0)
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        self.sha256 = digest.hexdigest()
        return upload
