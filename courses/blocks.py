"""StreamField blocks for course and module content.

One shared `ContentStreamBlock` is used by every page that has a body, so a block
added here is available everywhere. Each block renders with its own template in
templates/blocks/. Later issues add the quiz and assignment blocks.
"""

import re
from urllib.parse import parse_qs, urlparse

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^\d{6,12}$")


def video_embed_url(url: str) -> str | None:
    """The privacy-friendly embed URL for a YouTube or Vimeo link, or None.

    Computed locally rather than through oEmbed, so a page renders without the
    server reaching the internet.
    """
    parsed = urlparse(url)
    host = (parsed.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    video_id = None
    if host == "youtu.be":
        video_id = parsed.path.lstrip("/").split("/")[0]
    elif host in {"youtube.com", "youtube-nocookie.com"}:
        if parsed.path == "/watch":
            video_id = parse_qs(parsed.query).get("v", [""])[0]
        elif parsed.path.startswith(("/embed/", "/shorts/", "/live/")):
            video_id = parsed.path.split("/")[2]
    if video_id and _YOUTUBE_ID.match(video_id):
        return f"https://www.youtube-nocookie.com/embed/{video_id}"
    if host == "vimeo.com":
        video_id = parsed.path.strip("/").split("/")[-1]
        if _VIMEO_ID.match(video_id):
            return f"https://player.vimeo.com/video/{video_id}?dnt=1"
    return None


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(
        choices=[
            ("h2", _("Section heading")),
            ("h3", _("Sub-heading")),
        ],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"


class VideoBlock(blocks.StructBlock):
    """A YouTube or Vimeo video with a title that screen readers announce."""

    url = blocks.URLBlock(help_text=_("A YouTube or Vimeo link."))
    title = blocks.CharBlock(max_length=200, help_text=_("Describes the video."))
    caption = blocks.CharBlock(required=False, max_length=300)

    class Meta:
        icon = "media"
        template = "blocks/video_block.html"

    def clean(self, value):
        value = super().clean(value)
        if not video_embed_url(value["url"]):
            raise StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        gettext(
                            "Use a YouTube (youtube.com/watch?v=…, youtu.be/…) "
                            "or Vimeo (vimeo.com/123456789) link."
                        )
                    )
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["embed_url"] = video_embed_url(value["url"])
        return context


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    title = blocks.CharBlock(
        required=False,
        max_length=200,
        help_text=_("Defaults to the document's title."),
    )
    description = blocks.CharBlock(required=False, max_length=300)

    class Meta:
        icon = "doc-full"
        template = "blocks/document_block.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[
            ("info", _("Note")),
            ("tip", _("Tip")),
            ("warning", _("Warning")),
        ],
        default="info",
    )
    title = blocks.CharBlock(required=False, max_length=120)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "warning"
        template = "blocks/callout_block.html"


class ContentStreamBlock(blocks.StreamBlock):
    """The body of course and module pages."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        template="blocks/paragraph_block.html",
    )
    image = ImageBlock(template="blocks/image_block.html")
    video = VideoBlock()
    document = DocumentBlock()
    callout = CalloutBlock()


# --- Assessments -------------------------------------------------------------
# A quiz or an assignment is a block of a module's body. Its block id (stable
# across edits) names it in enrolments' records; questions are named by their
# own block ids, so answers can be checked against the quiz they belong to.


class ChoiceOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300)
    correct = blocks.BooleanBlock(required=False)


class ChoiceQuestionBlock(blocks.StructBlock):
    """Single choice (exactly one correct option) or multiple choice (any
    number of correct options; full points only for exactly the right set)."""

    prompt = blocks.TextBlock()
    options = blocks.ListBlock(ChoiceOptionBlock(), min_num=2, max_num=10)
    points = blocks.DecimalBlock(min_value=0, max_digits=5, decimal_places=2, default=1)

    def __init__(self, *args, single: bool = True, **kwargs):
        self.single = single
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        return path, args, {**kwargs, "single": self.single}

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for option in value["options"] if option["correct"])
        if self.single and correct != 1:
            raise StructBlockValidationError(
                block_errors={
                    "options": ValidationError(
                        gettext("Mark exactly one option as correct.")
                    )
                }
            )
        if not self.single and correct < 1:
            raise StructBlockValidationError(
                block_errors={
                    "options": ValidationError(
                        gettext("Mark at least one option as correct.")
                    )
                }
            )
        return value


def _true_or_false(value) -> bool:
    return value in (True, "True")


class TrueFalseAnswerBlock(blocks.FieldBlock):
    """The right answer to a true/false statement, chosen with two radio
    buttons ("True", "False") rather than a checkbox whose unticked state an
    author can misread. Stored as a boolean, as the checkbox stored it."""

    def __init__(self, required=True, help_text=None, **kwargs):
        self.field = forms.TypedChoiceField(
            choices=[(True, _("True")), (False, _("False"))],
            coerce=_true_or_false,
            empty_value=None,
            widget=forms.RadioSelect,
            required=required,
            help_text=help_text,
            error_messages={"required": _("Choose whether the statement is true.")},
        )
        super().__init__(**kwargs)


class TrueFalseQuestionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock()
    answer = TrueFalseAnswerBlock(label=_("The statement is"))
    points = blocks.DecimalBlock(min_value=0, max_digits=5, decimal_places=2, default=1)


class NumericQuestionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock()
    answer = blocks.DecimalBlock(max_digits=14, decimal_places=4)
    tolerance = blocks.DecimalBlock(
        min_value=0, max_digits=14, decimal_places=4, default=0,
        help_text=_(
            "Answers within this distance of the correct one count."
        ),
    )  # fmt: skip
    points = blocks.DecimalBlock(min_value=0, max_digits=5, decimal_places=2, default=1)


class QuizBlock(blocks.StructBlock):
    """An auto-graded quiz. Trainees take it on its own page; the answers never
    reach the browser before an attempt is submitted."""

    title = blocks.CharBlock(max_length=150)
    introduction = blocks.TextBlock(required=False)
    pass_mark_percent = blocks.IntegerBlock(
        min_value=0, max_value=100, required=False,
        help_text=_("Empty: the course's pass mark."),
    )  # fmt: skip
    attempts_allowed = blocks.IntegerBlock(min_value=1, max_value=20, default=3)
    time_limit_minutes = blocks.IntegerBlock(
        min_value=1,
        max_value=600,
        required=False,
        help_text=_("Empty: no time limit."),
    )
    required = blocks.BooleanBlock(
        required=False,
        default=True,
        help_text=_("Must be passed to complete the course."),
    )
    questions = blocks.StreamBlock(
        [
            ("single_choice", ChoiceQuestionBlock(single=True)),
            ("multiple_choice", ChoiceQuestionBlock(single=False)),
            ("true_false", TrueFalseQuestionBlock()),
            ("numeric", NumericQuestionBlock()),
        ],
        min_num=1,
        max_num=100,
    )

    class Meta:
        icon = "list-ul"
        template = "blocks/quiz_block.html"


# The kinds of file an assignment may take (enrolments/uploads.py checks each
# upload's content against them). The defaults are what any course can use;
# a data or programming course adds code, notebooks or archives.
SUBMISSION_FILE_KINDS = [
    ("documents", _("Documents: PDF, Word, OpenDocument text")),
    ("spreadsheets", _("Spreadsheets: Excel, OpenDocument")),
    ("presentations", _("Presentations: PowerPoint, OpenDocument")),
    ("images", _("Images: PNG, JPEG")),
    ("text", _("Plain text: .txt, .md, .csv")),
    ("code", _("Source code: .py, .r, .sql, .js, .java and similar")),
    ("notebooks", _("Jupyter notebooks: .ipynb")),
    ("archives", _("ZIP archives")),
]
DEFAULT_FILE_KINDS = ["documents", "spreadsheets", "presentations", "images", "text"]


class AssignmentBlock(blocks.StructBlock):
    """Work a trainee hands in: rich text and/or a file, graded by an
    instructor."""

    title = blocks.CharBlock(max_length=150)
    instructions = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)
    deadline = blocks.DateTimeBlock(required=False, help_text=_("Empty: no deadline."))
    max_points = blocks.DecimalBlock(
        min_value=1, max_digits=6, decimal_places=2, default=100
    )
    accepts = blocks.ChoiceBlock(
        choices=[
            ("both", _("Text and/or a file")),
            ("text", _("Text only")),
            ("file", _("A file only")),
        ],
        default="both",
    )
    file_kinds = blocks.MultipleChoiceBlock(
        label=_("Files accepted"),
        choices=SUBMISSION_FILE_KINDS,
        default=DEFAULT_FILE_KINDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "What trainees may upload, checked by each file's content. None "
            "ticked: documents, spreadsheets, presentations, images and plain "
            "text."
        ),
    )
    # Moodle's "reopen until pass" is the default: a trainee who fails a
    # required assignment can otherwise never complete the course.
    submissions_allowed = blocks.IntegerBlock(
        min_value=1,
        required=False,
        help_text=_(
            "How many times a trainee may hand in work; after a failed grade "
            "they may hand in again while submissions remain. Empty: until "
            "passed."
        ),
    )
    required = blocks.BooleanBlock(
        required=False,
        default=True,
        help_text=_("Must be passed to complete the course."),
    )

    class Meta:
        icon = "doc-full-inverse"
        template = "blocks/assignment_block.html"


class ModuleStreamBlock(ContentStreamBlock):
    """A module's body: the content blocks plus quizzes and assignments."""

    quiz = QuizBlock()
    assignment = AssignmentBlock()


# --- Evaluation questions ------------------------------------------------------
# An evaluation form's questions (courses/models/evaluations.py). Each question
# is named by its block id, each option by its ListBlock item id: translations
# are copies that keep them, so an answer given in Serbian counts with the same
# question's answers in English.

# A scale the trainee reads at a glance and the academy's funders know; the
# words at its ends are the form's.
RATING_SCALE = (1, 5)
# Net promoter: 0-10, promoters 9-10, detractors 0-6 (Reichheld's definition).
NPS_SCALE = (0, 10)


class RatingQuestionBlock(blocks.StructBlock):
    """A rating from 1 to 5 with words at both ends."""

    prompt = blocks.CharBlock(max_length=300)
    low_label = blocks.CharBlock(
        max_length=40, default="Poor", help_text=_("What 1 means.")
    )
    high_label = blocks.CharBlock(
        max_length=40, default="Excellent", help_text=_("What 5 means.")
    )
    required = blocks.BooleanBlock(required=False, default=True)

    class Meta:
        icon = "pick"
        label = _("Rating (1-5)")


class EvaluationChoiceBlock(blocks.StructBlock):
    """One answer from a list, or several when `multiple` is ticked."""

    prompt = blocks.CharBlock(max_length=300)
    options = blocks.ListBlock(blocks.CharBlock(max_length=200), min_num=2, max_num=12)
    multiple = blocks.BooleanBlock(
        required=False, help_text=_("Let trainees tick more than one option.")
    )
    required = blocks.BooleanBlock(required=False, default=True)

    class Meta:
        icon = "list-ul"
        label = _("Choice")


class OpenQuestionBlock(blocks.StructBlock):
    """A free-text answer (plain text, at most 2,000 characters)."""

    prompt = blocks.CharBlock(max_length=300)
    required = blocks.BooleanBlock(required=False, default=False)

    class Meta:
        icon = "openquote"
        label = _("Free text")


class NpsQuestionBlock(blocks.StructBlock):
    """The net-promoter question: 0 (not at all likely) to 10 (extremely)."""

    prompt = blocks.CharBlock(
        max_length=300,
        default="How likely is it that you would recommend this course to a "
        "colleague?",
    )
    required = blocks.BooleanBlock(required=False, default=True)

    class Meta:
        icon = "success"
        label = _("Net promoter (0-10)")


class EvaluationQuestionsBlock(blocks.StreamBlock):
    rating = RatingQuestionBlock()
    choice = EvaluationChoiceBlock()
    text = OpenQuestionBlock()
    nps = NpsQuestionBlock()

    class Meta:
        min_num = 1
        max_num = 30
        # One net-promoter score per form: two would make "the NPS" ambiguous.
        block_counts = {"nps": {"max_num": 1}}
