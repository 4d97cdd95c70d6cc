"""URL names of the certificates admin, for reverse() in views, buttons and
tests. Certificates > Certificates and the issuing pages live under
/admin/certificates/ (namespace "certificates_admin"), templates under
/admin/certificates/templates/ ("certificate_templates")."""

CERTIFICATES = "certificates_admin"
TEMPLATES = "certificate_templates"


def name(view: str) -> str:
    return f"{CERTIFICATES}:{view}"


def template_name(view: str) -> str:
    return f"{TEMPLATES}:{view}"
