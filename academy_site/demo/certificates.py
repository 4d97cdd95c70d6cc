"""Certificate templates and the certificates the demo reissues and revokes."""

from academy_site.demo.people import MILOS

# --- Certificates -------------------------------------------------------------
# One template per kind and language (any audience), so every trainee gets a
# certificate in the language they prefer; members get their own wording.
SIGNATORY = {
    "en": ("Milica Đorđević", "Director of the Academy"),
    "sr-latn": ("Milica Đorđević", "Direktorka akademije"),
    "sr": ("Милица Ђорђевић", "Директорка академије"),
}
CERTIFICATE_TEMPLATES = [
    # (kind, audience, language, name, heading, statement)
    ("completion", "any", "en", "Completion (English)",
     "Certificate of completion", "has successfully completed the course"),
    ("completion", "any", "sr-latn", "Završetak (latinica)",
     "Sertifikat o završenoj obuci", "je uspešno završio/la obuku"),
    ("completion", "any", "sr", "Завршетак (ћирилица)",
     "Сертификат о завршеној обуци", "је успешно завршио/ла обуку"),
    ("attendance", "any", "en", "Attendance (English)",
     "Certificate of attendance", "attended the course"),
    ("attendance", "any", "sr-latn", "Pohađanje (latinica)",
     "Potvrda o pohađanju obuke", "je pohađao/la obuku"),
    ("attendance", "any", "sr", "Похађање (ћирилица)",
     "Потврда о похађању обуке", "је похађао/ла обуку"),
    ("completion", "member", "en", "Completion, cluster members (English)",
     "Certificate of completion",
     "a member of the ICT cluster, has successfully completed the course"),
]  # fmt: skip
# The first certificate was printed with an ASCII name, then reissued with the
# name as the trainee wrote it; another was revoked after a register correction.
MISSPELT_NAME = "Djordje Petrovic"
REVOCATION_REASON = "Issued in error: the register was corrected afterwards."

# After his certificate was issued, Miloš corrects how his name is written on
# his profile: the certificate prints the old one, so it waits in the admins'
# review queue ("certificates follow the record") until one decides.
NAME_CORRECTION = (MILOS, "Милош Н. Поповић")
