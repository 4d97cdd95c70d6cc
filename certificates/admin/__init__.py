"""The Wagtail admin side of certificates, registered in
certificates/wagtail_hooks.py (menu Certificates).

- viewsets.py: the Certificates and Templates menus and their URLs
- listing.py, filters.py: the Certificates listing, its row actions and filters
- lifecycle.py, forms.py: retry, revoke and reissue one certificate
- issuing.py: a run's Issue certificates page, a batch's live progress
- zip_export.py: a run's issued certificates as one streamed ZIP
- template_views.py, preview.py, panels.py: saving a template hands a new
  background to the worker's check (certificates/services/backgrounds.py),
  the editor shows the outcome, Preview renders a sample
- permissions.py: who may view, issue and manage; nothing is ever deleted
- buttons.py: "Issue certificates" on runs, and download links
- mixins.py, url_names.py: what the pages share, and their URL names
"""
