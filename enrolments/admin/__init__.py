"""The Wagtail admin side of enrolments, registered in enrolments/wagtail_hooks.py.

- viewsets.py: the Enrolments, Organisations and Trainees menus
- views.py: the Enrolments listing (row actions, bulk-action footer)
- filters.py: the Enrolments listing's filters and search
- bulk_actions.py, forms.py: approve, reject and cancel selected enrolments
- exports.py: the listing as CSV and XLSX
- permissions.py: enrolments and trainees are never written by generic forms
- columns.py, buttons.py: table columns and links shared by the listings
"""
