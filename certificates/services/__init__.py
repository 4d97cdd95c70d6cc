"""Every write of certificates, one module per job; reads are in
certificates/selectors.py.

- issuing.py: choosing the template and numbering, requesting a certificate
  (and refusing one that was not earned), issuing a run's certificates in bulk;
- rendering.py: generating a requested certificate in the worker (PDF, storage,
  issue), giving up on it or retrying it, the sample for a template's preview,
  and requeueing work whose task was lost;
- lifecycle.py: revoking and reissuing;
- erasure.py: what a trainee's erasure does to their certificates;
- expiry.py: reminders before a certificate expires;
- templates.py: saving a template (active only once its background passed);
- backgrounds.py: checking a template's uploaded background;
- previews.py: a template's preview, rendered by the worker and stored;
- dispatch.py: queueing the certificates' Celery tasks after commit;
- errors.py: CertificateError (shown to the user), StorageUnavailable (retried).

Names, so that the PDF, the task and the service cannot be confused:

- what returns PDF bytes is named for them: `pdf.certificate_pdf(data,
  background)` draws one (pure, no database), `rendering.template_sample_pdf`
  draws a template's sample;
- a service is `<noun>_<verb>`: `certificate_generate` renders, stores and
  issues a requested certificate;
- a Celery task is `<verb>_<noun>` and only calls the service it mirrors:
  `tasks.generate_certificate` calls `certificate_generate`,
  `tasks.render_template_preview` calls `template_preview_render`.

This package holds no logic: import from the module that owns a function.
"""
