"""The registered names of the certificates' Celery tasks, and queueing them
after commit through the project's one dispatcher (academy_site/dispatch.py).

The tasks (certificates/tasks.py) call the services; the services reach the
tasks by their registered names, so neither module imports the other.
CertificatesConfig.ready() imports certificates.tasks, so every process that
runs a service has them registered.
"""

from academy_site.dispatch import task_on_commit

GENERATE_CERTIFICATE = "certificates.tasks.generate_certificate"
CHECK_TEMPLATE_BACKGROUND = "certificates.tasks.check_template_background"
RENDER_TEMPLATE_PREVIEW = "certificates.tasks.render_template_preview"


def certificate_generate_on_commit(*, certificate_id: int) -> None:
    # A broker outage must not turn the committed request into an error page:
    # tasks.requeue_stalled_certificates queues the generation again later.
    task_on_commit(GENERATE_CERTIFICATE, certificate_id)
