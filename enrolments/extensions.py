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


# --- The organisation coordinator's pages ------------------------------------

# Like the My learning panels, for the coordinator's list of their staff's
# enrolments (enrolments/coordination/): HTML per enrolment, in a fixed number
# of queries, saying nothing the coordinator may not see.
_staff_panels: list[EnrolmentPanel] = []
# Downloads of a whole organisation offered on its page: (label, URL) pairs
# for an organisation, e.g. its staff's certificates as one ZIP.
OrganisationDownloads = Callable[[object], list[tuple[str, str]]]
_organisation_downloads: list[OrganisationDownloads] = []


def register_staff_panel(panel: EnrolmentPanel) -> EnrolmentPanel:
    if panel not in _staff_panels:
        _staff_panels.append(panel)
    return panel


def staff_panels(enrolments: list) -> dict[int, list[str]]:
    panels = defaultdict(list)
    if not enrolments:
        return panels
    for panel in _staff_panels:
        for enrolment_id, html in panel(enrolments).items():
            panels[enrolment_id].append(html)
    return panels


def register_organisation_downloads(
    downloads: OrganisationDownloads,
) -> OrganisationDownloads:
    if downloads not in _organisation_downloads:
        _organisation_downloads.append(downloads)
    return downloads


def organisation_downloads(organisation) -> list[tuple[str, str]]:
    return [item for source in _organisation_downloads for item in source(organisation)]


# --- Personal data ---------------------------------------------------------

# A section of "Your data" (/account/data/ and its JSON download): a title and
# either one record (a dict) or a list of records, keyed by readable labels.
PersonalDataSection = Callable[[object], tuple[str, dict | list[dict]]]
_personal_data_sections: list[PersonalDataSection] = []


def register_personal_data_section(
    section: PersonalDataSection,
) -> PersonalDataSection:
    """Add `section(trainee) -> (title, rows)` to the trainee's data export.
    Registered in AppConfig.ready(); it must read in a fixed number of
    queries, whatever the trainee holds, and only the trainee's own rows."""
    if section not in _personal_data_sections:
        _personal_data_sections.append(section)
    return section


def personal_data_sections() -> list[PersonalDataSection]:
    """The registered sections, in registration order (after enrolments' own,
    which enrolments/privacy.py lists first)."""
    return list(_personal_data_sections)


# --- Erasure ---------------------------------------------------------------

# What an app's part of an erasure will do, for the admin's confirmation page
# (enrolments/admin/privacy.py): sentences, read in a fixed number of queries.
ErasureSummary = Callable[[object], list[str]]
_erasure_summaries: list[ErasureSummary] = []


def register_erasure_summary(summary: ErasureSummary) -> ErasureSummary:
    """Add `summary(trainee) -> [sentence, ...]` to the erasure confirmation.
    The erasure itself is announced by enrolments.signals.trainee_erased."""
    if summary not in _erasure_summaries:
        _erasure_summaries.append(summary)
    return summary


def erasure_summaries(trainee) -> list[str]:
    return [line for summary in _erasure_summaries for line in summary(trainee)]


# --- A run's page in /teaching/ ----------------------------------------------

# A section of the run's overview (enrolments/teaching/views.py: run_overview)
# for the person looking at it: HTML, or "" when they may not see it; read in
# a fixed number of queries, whatever the run's size.
RunSection = Callable[..., str]
_run_sections: list[RunSection] = []


def register_run_section(section: RunSection) -> RunSection:
    """Add `section(run=..., request=...) -> HTML` to every run's overview."""
    if section not in _run_sections:
        _run_sections.append(section)
    return section


def run_sections(*, run, request) -> list[str]:
    return [
        html for section in _run_sections if (html := section(run=run, request=request))
    ]
