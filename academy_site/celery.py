"""The Celery app, configured from Django settings (CELERY_* names).

The broker is chosen by CELERY_BROKER_URL: Redis in production and CI, kombu's
filesystem transport by default (no server needed; `make run` starts a worker).
"""

import os
import socket

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "academy_site.settings.dev")

app = Celery("academy_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="academy_site.ping")
def ping(token: str) -> dict:
    """Answer with who handled the task: `make run` and the tests use it to prove
    that a real worker consumes from the configured broker."""
    return {"token": token, "hostname": socket.gethostname(), "pid": os.getpid()}
