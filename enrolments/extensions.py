"""Where apps built on enrolments add to its pages without enrolments knowing
them (dependencies point one way: certificates -> enrolments).

An app registers a panel function in its AppConfig.ready(); My learning calls
each with the trainee's enrolments and shows the HTML it returns per
enrolment. A panel must read in a fixed number of queries.
"""

from collections import defaultdict
from collections.abc import Callable

EnrolmentPanel = Callable[[list], dict[int, str]]
_enrolment_panels: list[EnrolmentPanel] = []


def register_enrolment_panel(panel: EnrolmentPanel) -> EnrolmentPanel:
    if panel not in _enrolment_panels:
        _enrolment_panels.append(panel)
    return panel


def enrolment_panels(enrolments: list) -> dict[int, list[str]]:
    """{enrolment id: [HTML, ...]} from every registered panel."""
    panels = defaultdict(list)
    if not enrolments:
        return panels
    for panel in _enrolment_panels:
        for enrolment_id, html in panel(enrolments).items():
            panels[enrolment_id].append(html)
    return panels
