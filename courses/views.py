"""Request handling for the course pages that need more than a template."""

from django.http import HttpRequest

from courses.forms import CatalogueFilterForm
from courses.models import CourseIndexPage
from courses.selectors import CatalogueFilters, catalogue_page, topics_in_use


def catalogue_context(*, request: HttpRequest, index_page: CourseIndexPage) -> dict:
    """Context for the catalogue: the filter form, one page of course cards and a
    query string that keeps the filters when paging."""
    topics = list(topics_in_use())
    form = CatalogueFilterForm(request.GET or None, topics=topics)
    filters = form.filters() if form.is_bound else CatalogueFilters()
    page = catalogue_page(
        index_page=index_page,
        filters=filters,
        page_number=request.GET.get("page"),
        per_page=index_page.courses_per_page,
        request=request,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filter_form": form,
        "filters": filters,
        "courses_page": page,
        "courses": page.object_list,
        "paging_query": query.urlencode(),
    }
