"""Secure Coding for Web Developers (secure-coding-for-web-developers): the course page,
its modules with their quizzes and assignments, and its runs.
"""

from academy_site.demo.blocks import callout, heading, paragraph

COURSE = {
    "slug": "secure-coding-for-web-developers",
    "title": "Secure Coding for Web Developers",
    "summary": (
        "Find and fix the vulnerabilities attackers look for first: injection, "
        "broken access control, insecure sessions and more, with exercises in "
        "Python and JavaScript."
    ),
    "learning_outcomes": [
        "Recognise the OWASP Top 10 risks during code review",
        "Prevent injection with parameterised queries and output encoding",
        "Implement authentication, sessions and access control safely",
        "Keep secrets and third-party dependencies under control",
        "Write tests that stop fixed vulnerabilities from coming back",
    ],
    "level": "intermediate",
    "language": "en",
    "format": "self_paced",
    "duration_hours": "12",
    "price_member": "9000",
    "price_non_member": "15000",
    "enrolment_policy": "open",
    "attendance_threshold_percent": 80,
    "pass_mark_percent": 70,
    "topics": ["cybersecurity", "software-development"],
    "instructors": ["Stefan Ilić"],
    "body": [
        heading("Learn to think like an attacker"),
        paragraph(
            "<p>Each module starts with a small vulnerable application. You "
            "break it first, then fix it and write the test that proves the "
            "fix.</p>"
        ),
        callout(
            "info",
            "Study at your own pace",
            "<p>All modules are open from the day you enrol. Most trainees "
            "finish in three to four weeks with about three hours a week.</p>",
        ),
    ],
    "modules": [
        {
            "slug": "threat-modelling",
            "title": "Threat modelling in one hour",
            "summary": "Find what is worth protecting before writing code.",
            "estimated_minutes": 60,
            "body": [
                paragraph(
                    "<p>Draw a data-flow diagram of a web shop and walk through "
                    "it with STRIDE to list the threats that matter.</p>"
                ),
            ],
        },
        {
            "slug": "injection-and-output-encoding",
            "title": "Injection and output encoding",
            "summary": "SQL injection, XSS and how frameworks help.",
            "estimated_minutes": 180,
            "body": [
                heading("SQL injection"),
                paragraph(
                    "<p>Exploit a search form, then replace string formatting "
                    "with parameterised queries.</p>"
                ),
                heading("Cross-site scripting", "h3"),
                paragraph(
                    "<p>Why auto-escaping templates are the default, and the "
                    "three places where it does not protect you.</p>"
                ),
            ],
        },
        {
            "slug": "authentication-and-access-control",
            "title": "Authentication and access control",
            "summary": "Passwords, sessions, tokens and object-level permissions.",
            "estimated_minutes": 180,
            "body": [
                paragraph(
                    "<p>Broken access control tops the OWASP list. We find an "
                    "insecure direct object reference and fix it with one "
                    "permission check used everywhere.</p>"
                ),
            ],
        },
        {
            "slug": "secrets-and-dependencies",
            "title": "Bonus: secrets and dependencies",
            "summary": "Secret scanning, dependency audits and update policies.",
            "estimated_minutes": 90,
            "is_required": False,
            "body": [
                callout(
                    "tip",
                    "Optional module",
                    "<p>Not required for the certificate, but highly "
                    "recommended for team leads.</p>",
                ),
                paragraph(
                    "<p>Set up secret scanning in CI and decide how quickly "
                    "dependency updates must be applied.</p>"
                ),
            ],
        },
    ],
    "schedule": [],
    "runs": [],
}
