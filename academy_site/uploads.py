"""The size limit every upload form shares, applied while the body streams in.

Django's own handlers keep an upload in memory or in a temporary file of its
full size before any form can look at it; this handler, put first in
`request.upload_handlers` by a view, drops the file as soon as the request's
files pass the limit, so a huge upload costs neither. The view finds the
refusal in `request.upload_refused` and shows it as the form's error.
"""

from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class UploadSizeLimitHandler(FileUploadHandler):
    """Counts the bytes of every file in the request, not each file apart:
    two files just under the limit are as costly as one over it. Subclasses
    set `limit` (bytes) and `refusal` (the message shown)."""

    limit: int = 0
    refusal: str = ""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.request is not None:
                self.request.upload_refused = self.refusal
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        # The next handler (memory or temporary file) builds the upload.
        return None
