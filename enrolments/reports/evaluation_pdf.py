"""A run's evaluation as a PDF summary the academy can attach to a funder's
report: pure rendering, figures in, bytes out (no database). Drawn with
reportlab's platypus in the academy's embedded fonts (Serbian in both
scripts); every text a trainee wrote is escaped before it becomes a
paragraph, so markup in a comment prints as typed."""

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from academy_site.pdf_fonts import SANS, SERIF_BOLD, fonts_register
from enrolments.reports.evaluations import QuestionResult, RunResults

INK = colors.HexColor("#1b2430")
BRAND = colors.HexColor("#0b4f6c")
MUTED = colors.HexColor("#4d5b6a")
TRACK = colors.HexColor("#e3e8ee")
BAR_WIDTH = 70 * mm
BAR_HEIGHT = 3.2 * mm


@dataclass(frozen=True)
class SummaryFacts:
    """What the header says: all text already in the reader's language."""

    course_title: str
    run_dates: str
    instructors: str
    generated_on: str


def _styles():
    base = ParagraphStyle(
        "base", fontName=SANS, fontSize=9.5, leading=13, textColor=INK
    )
    return {
        "base": base,
        "title": ParagraphStyle(
            "title", base, fontName=SERIF_BOLD, fontSize=17, leading=21, spaceAfter=4
        ),
        "heading": ParagraphStyle(
            "heading",
            base,
            fontName=SERIF_BOLD,
            fontSize=11,
            leading=14,
            spaceBefore=8,
            spaceAfter=4,
            textColor=BRAND,
        ),
        "muted": ParagraphStyle("muted", base, textColor=MUTED, fontSize=8.5),
        "comment": ParagraphStyle("comment", base, leftIndent=8, spaceAfter=3),
    }


def _number(value, places=1) -> str:
    return "—" if value is None else number_format(value, places)


def _bar(percent_of_largest: str) -> Drawing:
    drawing = Drawing(BAR_WIDTH, BAR_HEIGHT)
    drawing.add(Rect(0, 0, BAR_WIDTH, BAR_HEIGHT, fillColor=TRACK, strokeColor=None))
    width = BAR_WIDTH * float(percent_of_largest) / 100
    if width:
        drawing.add(Rect(0, 0, width, BAR_HEIGHT, fillColor=BRAND, strokeColor=None))
    return drawing


def _shares_table(result: QuestionResult, styles) -> Table:
    rows = [
        [
            Paragraph(escape(share.label), styles["base"]),
            _bar(share.bar),
            str(share.count),
            f"{_number(share.percent)} %",
        ]
        for share in result.shares
    ]
    table = Table(rows, colWidths=[55 * mm, BAR_WIDTH + 4 * mm, 14 * mm, 20 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), SANS, 9),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _question(number: int, result: QuestionResult, styles) -> list:
    question = result.question
    parts = [
        Paragraph(f"{number}. {escape(question['prompt'])}", styles["heading"]),
    ]
    answered = ngettext("%(count)s answer", "%(count)s answers", result.answered) % {
        "count": result.answered
    }
    if result.kind == "rating":
        parts.append(
            Paragraph(
                _("Mean %(mean)s of 5 (1 = %(low)s, 5 = %(high)s) · %(answered)s")
                % {
                    "mean": _number(result.mean, 2),
                    "low": escape(question["low_label"]),
                    "high": escape(question["high_label"]),
                    "answered": answered,
                },
                styles["base"],
            )
        )
        parts.append(_shares_table(result, styles))
    elif result.kind == "nps":
        parts.append(
            Paragraph(
                _(
                    "Net promoter score %(nps)s (promoters 9-10 minus detractors "
                    "0-6, from -100 to 100) · %(answered)s"
                )
                % {"nps": _number(result.nps), "answered": answered},
                styles["base"],
            )
        )
        parts.append(_shares_table(result, styles))
    elif result.kind == "choice":
        parts.append(Paragraph(answered, styles["base"]))
        parts.append(_shares_table(result, styles))
    else:
        parts.append(Paragraph(answered, styles["base"]))
        parts.extend(
            Paragraph(
                "“" + escape(text).replace("\n", "<br/>") + "”", styles["comment"]
            )
            for text in result.texts
        )
    return parts


def evaluation_summary_pdf(facts: SummaryFacts, results: RunResults) -> bytes:
    """The summary of one run's evaluation as PDF bytes."""
    fonts_register()
    styles = _styles()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=_("Course evaluation: %(course)s") % {"course": facts.course_title},
        author="Cluster Academy",
    )
    story = [
        Paragraph(escape(_("Course evaluation")), styles["muted"]),
        Paragraph(escape(facts.course_title), styles["title"]),
        Paragraph(escape(facts.run_dates), styles["base"]),
    ]
    if facts.instructors:
        story.append(
            Paragraph(
                escape(_("Instructors: %(names)s") % {"names": facts.instructors}),
                styles["base"],
            )
        )
    story += [
        Spacer(1, 4 * mm),
        Paragraph(
            escape(
                ngettext(
                    "%(responses)s answer from %(took_part)s trainees who took "
                    "part (response rate %(rate)s %%)",
                    "%(responses)s answers from %(took_part)s trainees who took "
                    "part (response rate %(rate)s %%)",
                    results.responses,
                )
                % {
                    "responses": results.responses,
                    "took_part": results.took_part,
                    "rate": _number(results.rate),
                }
            ),
            styles["base"],
        ),
        Paragraph(
            escape(
                _("Mean rating %(mean)s of 5 · net promoter score %(nps)s")
                % {
                    "mean": _number(results.mean_rating, 2),
                    "nps": _number(results.nps),
                }
            ),
            styles["base"],
        ),
        Paragraph(
            escape(
                (
                    _("Form: %(title)s, anonymous.")
                    if results.anonymous
                    else _("Form: %(title)s, named.")
                )
                % {"title": results.title}
            ),
            styles["muted"],
        ),
    ]
    for number, result in enumerate(results.questions, start=1):
        parts = _question(number, result, styles)
        # A question's heading never ends a page without its figures.
        story.append(KeepTogether(parts[:3]))
        story.extend(parts[3:])

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(SANS, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(
            18 * mm,
            9 * mm,
            _("Cluster Academy · generated on %(date)s · page %(page)s")
            % {"date": facts.generated_on, "page": doc.page},
        )
        canvas.restoreState()

    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
