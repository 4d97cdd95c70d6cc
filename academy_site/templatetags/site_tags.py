"""{% site_wide "name" %}...{% end_site_wide %}: a part of every page that is
the same for everyone in a language (the footer), rendered once and kept as
visitors' pages are (academy_site/public_cache.py, `site_wide`)."""

from django import template

from academy_site.public_cache import site_wide

register = template.Library()


class SiteWideNode(template.Node):
    def __init__(self, name, nodelist):
        self.name, self.nodelist = name, nodelist

    def render(self, context):
        # A node's output is markup as it stands (the template escaped the
        # variables inside it when it was rendered).
        return site_wide(
            context.get("request"), self.name, lambda: self.nodelist.render(context)
        )


@register.tag
def site_wide_part(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('Usage: {% site_wide_part "name" %}')
    nodelist = parser.parse(("end_site_wide_part",))
    parser.delete_first_token()
    return SiteWideNode(bits[1][1:-1], nodelist)
