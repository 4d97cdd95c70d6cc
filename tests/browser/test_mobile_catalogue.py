"""The catalogue on a phone (390×844) and on a desktop: a compact header
whose menu opens behind a button, filters folded above the courses on the
phone and open beside them on the desktop, and filters that apply as soon
as one is chosen (static/js/site.js)."""

import pytest

from tests.browser.conftest import expect, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def test_on_a_phone_the_first_course_shows_without_scrolling(open_at, academy):
    page = open_at(PHONE)
    page.goto(academy.catalogue.url)
    screenshot(page, "mobile-catalogue")

    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 0.2 * PHONE["height"], header
    card = page.locator(".card").first.bounding_box()
    assert card["y"] + 120 <= PHONE["height"], card
    assert page.evaluate("window.scrollY") == 0

    # The menu opens behind its button.
    menu = page.get_by_role("button", name="Menu")
    nav_link = page.locator(".site-nav").get_by_role("link", name="Courses")
    expect(nav_link).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav_link).to_be_visible()
    page.keyboard.press("Escape")
    expect(nav_link).to_be_hidden()

    # The filters are folded; opened, a choice applies without a button.
    level = page.get_by_label("Level")
    expect(level).to_be_hidden()
    # Hidden to the eye (1 px) but kept, so Enter in the search box submits.
    button = page.get_by_role("button", name="Show courses").bounding_box()
    assert button["width"] <= 1 and button["height"] <= 1, button
    page.get_by_text("More filters").click()
    expect(page.get_by_text("The list updates as soon as")).to_be_visible()
    with page.expect_navigation():
        level.select_option("intermediate")
    assert "level=intermediate" in page.url
    expect(page.locator(".card")).to_have_count(1)
    expect(page.locator(".card").first).to_contain_text("Kubernetes in Production")


def test_on_a_desktop_the_menu_and_filters_are_open(open_at, academy):
    page = open_at(DESKTOP)
    page.goto(academy.catalogue.url)
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(
        page.locator(".site-nav").get_by_role("link", name="Courses")
    ).to_be_visible()
    expect(page.get_by_label("Level")).to_be_visible()

    # The search box still submits with Enter, the button being hidden.
    search = page.get_by_label("Search courses")
    search.fill("kube")
    with page.expect_navigation():
        search.press("Enter")
    assert "q=kube" in page.url
    expect(page.locator(".card").first).to_contain_text("Kubernetes")
