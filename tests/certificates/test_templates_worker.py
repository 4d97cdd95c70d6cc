"""A template's background check and preview on a real worker process
consuming from the configured broker: the check makes the template active,
then the preview is rendered once however often its task is delivered."""

import shutil

import pytest
from django.core.files.base import ContentFile
from pypdf import PdfReader

from certificates.models import CertificateTemplate, TemplatePreview
from certificates.services.templates import template_save
from certificates.tasks import render_template_preview
from tests.certificates.factories import CertificateTemplateFactory, background_pdf
from tests.certificates.test_tasks import WorkerLog, wait_for, worker_media

__all__ = ["worker_media"]  # a fixture, used by name

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_worker_checks_activates_and_previews_a_new_background_once(
    celery_worker, worker_media
):
    # Previews of earlier runs' templates (ids repeat in every test database).
    shutil.rmtree(worker_media / "certificate-template-previews", ignore_errors=True)
    template = CertificateTemplateFactory(heading="Sertifikat o završenom kursu")
    template.background.save("design.pdf", ContentFile(background_pdf()), save=False)
    log = WorkerLog(celery_worker)

    template_save(template=template, wants_active=True, background_changed=True)
    assert not CertificateTemplate.objects.get(pk=template.pk).is_active

    def previewed():
        preview = TemplatePreview.objects.filter(template=template).first()
        return preview is not None and preview.status == "ready"

    assert wait_for(previewed), "the worker did not finish:\n" + log.tail()
    for _ in range(3):  # redeliveries of the preview task
        render_template_preview.delay(template.pk)
    assert wait_for(
        lambda: log.succeeded("certificates.tasks.render_template_preview") >= 4
    ), log.tail()

    template.refresh_from_db()
    assert template.is_active and template.uses_uploaded_background
    preview = TemplatePreview.objects.get(template=template)
    assert preview.template_updated_at == template.updated_at
    files = list((worker_media / "certificate-template-previews").iterdir())
    assert [path.name for path in files] == [preview.pdf.name.rsplit("/", 1)[1]]
    pages = PdfReader(files[0]).pages
    assert "Đorđe Šćepanović-Žižić" in pages[0].extract_text()
    assert "Љубица Његош-Ђурић" in pages[1].extract_text()
