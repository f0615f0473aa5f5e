"""The embeddable chat widget on the demo college page, in Chromium against the real stack."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.browser
AXE = ROOT / "bot" / "widget" / "build" / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def open_widget(page, url):
    page.goto(url)
    page.locator(".cnw[data-ready]").wait_for(state="attached")
    page.get_by_role("button", name="Chat with us").click()
    return page.get_by_role("dialog", name="Career Navigator")


def bot_says(page, words: str, timeout: float = 30_000):
    reply = page.locator(".cnw-bot", has_text=words).last
    reply.wait_for(timeout=timeout)
    return reply


def type_message(page, text: str):
    box = page.get_by_label("Your message")
    box.fill(text)
    box.press("Enter")


def test_multi_turn_with_buttons_and_cards(navigator, page):
    panel = open_widget(page, navigator.web_url)
    assert panel.is_visible()
    bot_says(page, "chat bot")  # the greeting, sent on first open
    page.locator(".cnw-buttons button").first.wait_for()
    type_message(page, "welding classes in salem")
    bot_says(page, "near Salem")
    cards = page.locator(".cnw-card")
    assert cards.count() >= 1
    assert "Welding Career Pathway" in cards.first.inner_text()
    page.get_by_role("button", name="Tell me about 1").click()
    bot_says(page, "Cost:")
    assert page.get_by_role("button", name="Tell me about 1").is_disabled()


def test_reload_continues_the_conversation(navigator, page):
    open_widget(page, navigator.web_url)
    bot_says(page, "chat bot")
    type_message(page, "cna classes in eugene")
    bot_says(page, "near Eugene")
    page.reload()
    page.locator(".cnw[data-ready]").wait_for(state="attached")
    # Still open, with what was said, and the bot still knows the list.
    assert page.get_by_role("dialog", name="Career Navigator").is_visible()
    assert page.locator(".cnw-user", has_text="cna classes in eugene").count() == 1
    type_message(page, "tell me more about 1")
    assert "Nursing Assistant" in bot_says(page, "Cost:").inner_text()


def test_lost_connection_recovers_without_losing_messages(navigator, page):
    state = {"offline": False, "routes": []}

    def route(ws):
        if state["offline"]:
            ws.close()
            return
        state["routes"].append(ws)
        ws.connect_to_server()

    page.route_web_socket("**/socket.io/**", route)
    open_widget(page, navigator.web_url)
    bot_says(page, "chat bot")

    state["offline"] = True
    for ws in state["routes"]:
        ws.close()
    page.locator(".cnw-status", has_text="offline").wait_for(timeout=10_000)
    type_message(page, "what is a career pathway?")
    page.locator(".cnw-queued").wait_for()

    state["offline"] = False
    bot_says(page, "one step at a time", timeout=60_000)
    assert page.locator(".cnw-queued").count() == 0
    assert page.locator(".cnw-status", has_text="Connected again").count() == 1


def test_keyboard_only_conversation(navigator, page):
    page.goto(navigator.web_url)
    page.locator(".cnw[data-ready]").wait_for(state="attached")
    launcher = page.get_by_role("button", name="Chat with us")
    for _ in range(30):  # Tab through the page until the launcher has focus
        page.keyboard.press("Tab")
        if launcher.evaluate("b => b === document.activeElement"):
            break
    assert launcher.evaluate("b => b === document.activeElement")
    page.keyboard.press("Enter")
    box = page.get_by_label("Your message")
    assert box.evaluate("i => i === document.activeElement")
    bot_says(page, "chat bot")
    page.keyboard.type("what is IET?")
    page.keyboard.press("Enter")
    bot_says(page, "Integrated Education and Training")
    outline = box.evaluate("i => getComputedStyle(i).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Escape")
    assert launcher.evaluate("b => b === document.activeElement")
    assert launcher.get_attribute("aria-expanded") == "false"


def test_html_in_a_message_is_text(navigator, page):
    page.on("dialog", lambda dialog: pytest.fail(f"a script ran: {dialog.message}"))
    open_widget(page, navigator.web_url)
    bot_says(page, "chat bot")
    type_message(page, "<img src=x onerror=alert(1)>")
    user = page.locator(".cnw-user").last
    user.wait_for()
    assert "<img src=x onerror=alert(1)>" in user.inner_text()
    assert page.locator(".cnw img").count() == 0
    page.locator(".cnw-bot").nth(1).wait_for(timeout=30_000)


# 640 CSS pixels is a 1280-pixel screen at 200 % zoom.
@pytest.mark.parametrize("width", [1280, 640, 320])
def test_no_accessibility_violations_with_the_panel_open(navigator, browser, width):
    if not AXE.exists():
        pytest.fail(f"axe-core missing at {AXE}: run make widget")
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    page = context.new_page()
    try:
        open_widget(page, navigator.web_url)
        bot_says(page, "chat bot")
        page.locator(".cnw-buttons button").first.wait_for()
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
        violations = [
            {"id": v["id"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
        ]
        assert violations == [], json.dumps(violations, indent=2)
        box = page.locator(".cnw-panel").bounding_box()
        assert box["width"] <= width
        small = page.evaluate(
            """() => [...document.querySelectorAll('.cnw button')]
                 .filter(b => b.offsetParent)
                 .map(b => b.getBoundingClientRect())
                 .filter(r => r.width < 24 || r.height < 24).length""")
        assert small == 0
    finally:
        context.close()


def test_a_spanish_page_chats_in_spanish(navigator, page):
    """data-lang="es": the widget's words, the greeting and the answers are Spanish."""
    page.goto(f"{navigator.web_url}?lang=es")
    page.locator(".cnw[data-ready]").wait_for(state="attached")
    page.get_by_role("button", name="Chatea con nosotros").click()
    bot_says(page, "Soy un chat bot")
    box = page.get_by_label("Tu mensaje")
    box.fill("necesito guarderia en salem")
    box.press("Enter")
    reply = bot_says(page, "Marion").inner_text()  # Salem's county
    assert "cuidado de niños" in reply and "Here is" not in reply
    box.fill("ok gracias")
    box.press("Enter")
    bot_says(page, "De nada")
