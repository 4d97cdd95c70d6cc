"""The errors of certificates' services."""


class CertificateError(Exception):
    """A request that cannot be done; the message can be shown as is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StorageUnavailable(Exception):
    """Storage could not be reached: worth retrying later."""
