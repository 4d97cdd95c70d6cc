"""Public verification of certificates (verification.py) and the private
download of a certificate's PDF (download.py)."""
