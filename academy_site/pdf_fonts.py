"""The fonts every PDF the academy writes uses (certificates, evaluation
summaries): DejaVu, embedded, because the standard 14 PDF fonts cannot draw
Cyrillic or đ, ć, č. The files are in academy_site/fonts/ with their licence."""

from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
SANS, SERIF_BOLD = "DejaVuSans", "DejaVuSerif-Bold"


def fonts_register() -> None:
    """Register the fonts with reportlab, once per process."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name in (SANS, SERIF_BOLD):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / f"{name}.ttf")))
