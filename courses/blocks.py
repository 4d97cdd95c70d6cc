"""StreamField blocks for course and module content.

One shared `ContentStreamBlock` is used by every page that has a body, so a block
added here is available everywhere. Each block renders with its own template in
templates/blocks/. Later issues add the quiz and assignment blocks.
"""

import re
from urllib.parse import parse_qs, urlparse

from django.core.exceptions import ValidationError
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
        choices=[("h2", "Section heading"), ("h3", "Sub-heading")], default="h2"
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"


class VideoBlock(blocks.StructBlock):
    """A YouTube or Vimeo video with a title that screen readers announce."""

    url = blocks.URLBlock(help_text="A YouTube or Vimeo link.")
    title = blocks.CharBlock(max_length=200, help_text="Describes the video.")
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
                        "Use a YouTube (youtube.com/watch?v=…, youtu.be/…) "
                        "or Vimeo (vimeo.com/123456789) link."
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
        required=False, max_length=200, help_text="Defaults to the document's title."
    )
    description = blocks.CharBlock(required=False, max_length=300)

    class Meta:
        icon = "doc-full"
        template = "blocks/document_block.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("info", "Note"), ("tip", "Tip"), ("warning", "Warning")],
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
