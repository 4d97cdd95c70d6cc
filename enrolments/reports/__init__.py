"""The academy's back-office reports, under Reports in the Wagtail admin.

- filters.py: the one filter form every report shares (period, course,
  organisation) and what it means once validated (ReportFilters);
- selectors.py: the aggregate queries, done in the database;
- charts.py: server-side SVG bar charts built from the aggregated rows;
- views.py: the report views (page, results fragment, CSV/XLSX export);
- hooks.py: the Reports menu items and admin URLs (imported by
  enrolments/wagtail_hooks.py).

The certificate reports (certificates issued; an organisation's trainees and
certificates) live in certificates/reports.py and build on these modules.
"""
