"""Основе сајбер безбедности за запослене (osnove-sajber-bezbednosti): the course page,
its modules with their quizzes and assignments, and its runs.
"""

from academy_site.demo.blocks import callout, heading, paragraph

COURSE = {
    "slug": "osnove-sajber-bezbednosti",
    "title": "Основе сајбер безбедности за запослене",
    "summary": (
        "Бесплатан кратак курс за све запослене: како препознати фишинг, "
        "заштитити лозинке и уређаје и шта урадити када нешто пође наопако."
    ),
    "learning_outcomes": [
        "Препознавање фишинг порука и лажних веб-сајтова",
        "Коришћење менаџера лозинки и двофакторске аутентикације",
        "Безбедан рад од куће и на јавним мрежама",
        "Благовремено пријављивање безбедносног инцидента",
    ],
    "level": "beginner",
    "language": "sr",
    "format": "self_paced",
    "duration_hours": "4",
    "price_member": "0",
    "price_non_member": "0",
    "enrolment_policy": "open",
    "attendance_threshold_percent": 80,
    "pass_mark_percent": 80,
    "topics": ["cybersecurity"],
    "instructors": ["Stefan Ilić"],
    "body": [
        heading("О курсу"),
        paragraph(
            "<p>Већина напада почиње једним кликом. Овај курс је намењен свима "
            "у компанији, не само ИТ тиму, и не захтева никакво претходно "
            "знање.</p>"
        ),
        callout(
            "tip",
            "Бесплатно за све",
            "<p>Курс траје око четири сата и може се прекинути и наставити "
            "у било ком тренутку.</p>",
        ),
    ],
    "modules": [
        {
            "slug": "fising",
            "title": "Фишинг и друштвени инжењеринг",
            "summary": "Како изгледају лажне поруке и зашто функционишу.",
            "estimated_minutes": 60,
            "body": [
                paragraph(
                    "<p>Кроз десет стварних примера учимо да проверимо "
                    "пошиљаоца, линк и хитност поруке пре него што кликнемо.</p>"
                ),
            ],
        },
        {
            "slug": "lozinke-i-2fa",
            "title": "Лозинке и двофакторска аутентикација",
            "summary": "Менаџер лозинки и други фактор у пет минута.",
            "estimated_minutes": 60,
            "body": [
                paragraph(
                    "<p>Подешавамо менаџер лозинки и укључујемо двофакторску "
                    "аутентикацију на налозима који су најважнији.</p>"
                ),
            ],
        },
        {
            "slug": "incidenti",
            "title": "Шта урадити када нешто пође наопако",
            "summary": "Кога позвати и шта не радити после сумњивог клика.",
            "estimated_minutes": 45,
            "body": [
                callout(
                    "warning",
                    "Не бришите поруку",
                    "<p>Сумњиву поруку проследите ИТ служби пре него што је "
                    "обришете: она им помаже да заштите и колеге.</p>",
                ),
            ],
        },
    ],
    "schedule": [],
    "runs": [],
}
