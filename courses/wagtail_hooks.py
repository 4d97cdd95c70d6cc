"""Admin menus for course scheduling: Courses > Runs, Instructors, Topics."""

from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from courses.models import CourseRun, Instructor, Topic


class CourseRunViewSet(SnippetViewSet):
    model = CourseRun
    icon = "date"
    menu_label = "Runs"
    add_to_admin_menu = False
    list_display = [
        "__str__",
        "starts_on",
        "ends_on",
        Column("capacity", label="Seats"),
        Column("seats_left", label="Seats left"),
    ]
    list_filter = {"starts_on": ["gte", "lte"], "course": ["exact"]}
    ordering = ["-starts_on"]
    search_fields = None

    def get_queryset(self, request):
        return CourseRun.objects.select_related("course")


class InstructorViewSet(SnippetViewSet):
    model = Instructor
    icon = "user"
    list_display = ["full_name", "job_title", "organisation"]
    search_fields = ["full_name", "organisation"]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name", "slug"]


class CoursesGroup(SnippetViewSetGroup):
    menu_label = "Scheduling"
    menu_icon = "calendar"
    menu_order = 200
    items = (CourseRunViewSet, InstructorViewSet, TopicViewSet)


register_snippet(CoursesGroup)
