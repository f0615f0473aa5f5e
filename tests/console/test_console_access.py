"""What keeps learners' details safe in the console: sign-in, sessions, CSRF, teams."""

from __future__ import annotations

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.console import app as console_app
from bot.console import middlewares
from bot.records import store
from tests.console.conftest import PASSWORD, csrf_of, log_in


async def test_pages_need_a_login(console):
    response = await console.get("/console/", allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"] == "/console/login"


async def test_login_then_queue_shows_only_my_teams_referrals(console, world):
    response = await log_in(console, "ana")
    assert response.status == 303 and response.headers["Location"] == "/console/"
    page = await (await console.get("/console/")).text()
    assert f'/console/referrals/{world["lane"]}"' in page
    assert f'/console/referrals/{world["pcc"]}"' not in page
    # The learner's language shows in the queue, so a Spanish speaker gets one who speaks it.
    assert ">Language</th>" in page and "<td>Spanish</td>" in page


async def test_another_teams_referral_is_not_found_by_guessing(console, world):
    await log_in(console, "ana")
    assert (await console.get(f"/console/referrals/{world['pcc']}")).status == 404
    assert (await console.get("/console/referrals/999999")).status == 404
    token = await csrf_of(console, "/console/")
    changed = await console.post(f"/console/referrals/{world['pcc']}/status",
                                 data={"status": "closed", "csrf": token})
    assert changed.status == 404
    with world["engine"].connect() as conn:
        status = conn.execute(select(store.referrals.c.status).where(
            store.referrals.c.id == world["pcc"])).scalar_one()
    assert status == "new"


async def test_a_form_without_the_csrf_token_is_refused(console, world):
    await log_in(console, "ana")
    response = await console.post(f"/console/referrals/{world['lane']}/status",
                                  data={"status": "closed", "note": "forged"})
    assert response.status == 403
    assert "form has expired" in await response.text()
    forged = await console.post("/console/login", data={"username": "ana",
                                                        "password": PASSWORD})
    assert forged.status == 403


async def test_tenth_wrong_password_in_a_minute_is_throttled(console):
    for _ in range(9):
        assert (await log_in(console, "ana", "wrong password!")).status == 401
    tenth = await log_in(console, "ana", "wrong password!")
    assert tenth.status == 429
    assert "Too many tries" in await tenth.text()
    # Even the right password waits out the minute.
    assert (await log_in(console, "ana")).status == 429


async def test_learner_text_shows_as_text(console, world):
    await log_in(console, "ana")
    page = await (await console.get(f"/console/referrals/{world['lane']}")).text()
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "hi &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; i need phlebotomy" in page
    queue = await (await console.get("/console/")).text()
    assert "<script>" not in queue


async def test_security_headers_and_cookie_flags(console, world):
    response = await console.get("/console/login")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


async def test_cookie_is_secure_by_default(world):
    app = web.Application()
    app.add_subapp("/console", console_app.create_console(
        world["url"], world["tracker_url"], world["tmp"]))
    async with TestClient(TestServer(app)) as client:
        cookie = (await client.get("/console/login")).headers["Set-Cookie"]
    assert "Secure" in cookie


async def test_login_gives_a_new_session_and_logout_ends_it(console):
    await console.get("/console/login")
    before = console.session.cookie_jar.filter_cookies(console.make_url("/console/"))
    old = before["navigator_console"].value
    await log_in(console, "ana")
    after = console.session.cookie_jar.filter_cookies(console.make_url("/console/"))
    assert after["navigator_console"].value != old
    token = await csrf_of(console, "/console/")
    assert token != ""
    out = await console.post("/console/logout", data={"csrf": token}, allow_redirects=False)
    assert out.status == 303
    assert (await console.get("/console/", allow_redirects=False)).status == 303


async def test_idle_session_expires(console, monkeypatch):
    await log_in(console, "ana")
    assert (await console.get("/console/", allow_redirects=False)).status == 200
    real = middlewares.time.time
    monkeypatch.setattr(middlewares.time, "time", lambda: real() + 31 * 60)
    response = await console.get("/console/", allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"] == "/console/login?expired=1"


async def test_disabled_user_is_logged_out(console, world):
    await log_in(console, "ana")
    store.update_user(world["engine"], "ana", active=False)
    assert (await console.get("/console/", allow_redirects=False)).status == 303


@pytest.mark.parametrize("who, status", [("ana", 404), ("boss", 200)])
async def test_audit_log_and_users_are_for_admins(console, world, who, status):
    await log_in(console, who)
    assert (await console.get("/console/audit")).status == status
    users = await console.get("/console/users")
    assert users.status == status
    if status == 200:
        page = await users.text()
        assert "ana" in page and "pat" in page and "navigator" in page


async def test_views_and_exports_are_audited(console, world):
    await log_in(console, "ana")
    await console.get(f"/console/referrals/{world['lane']}")
    export = await console.get("/console/export.csv")
    assert export.status == 200
    rows = (await export.text()).splitlines()
    assert rows[0].startswith("code,created_at,status,team")
    assert len(rows) == 2  # only the lane team's referral
    entries = store.audit_entries(world["engine"])
    assert {(e["username"], e["action"]) for e in entries} == {
        ("ana", "view_transcript"), ("ana", "export")}


@pytest.mark.parametrize("back", [
    "https://evil.example/phish", "//evil.example/phish", "/\\evil.example/phish",
    "/\\/evil.example", "javascript:alert(1)", "/console/\\\\evil.example", "", "/elsewhere",
])
async def test_after_assigning_only_console_paths_are_followed(console, world, back):
    await log_in(console, "ana")
    token = await csrf_of(console, "/console/")
    done = await console.post(f"/console/referrals/{world['lane']}/assign",
                              data={"assignee": "me", "back": back, "csrf": token},
                              allow_redirects=False)
    assert done.status == 303 and done.headers["Location"] == "/console/"


async def test_after_assigning_a_console_path_is_followed(console, world):
    await log_in(console, "ana")
    token = await csrf_of(console, "/console/")
    back = f"/console/referrals/{world['lane']}"
    done = await console.post(f"/console/referrals/{world['lane']}/assign",
                              data={"assignee": "me", "back": back, "csrf": token},
                              allow_redirects=False)
    assert done.headers["Location"] == back


async def test_a_topic_stored_as_an_occupation_code_shows_its_name(console, world):
    from bot.records.tables import referrals
    from knowledge import models as m

    with world["engine"].begin() as conn:
        conn.execute(m.Occupation.__table__.insert().values(
            soc="51-4121", title="Welders, Cutters, Solderers, and Brazers", keywords=[],
            outlook="bright"))
        conn.execute(referrals.update().where(referrals.c.id == world["lane"])
                     .values(topic="51-4121"))
    await log_in(console, "ana")
    page = await (await console.get(f"/console/referrals/{world['lane']}")).text()
    assert "Welders, Cutters, Solderers, and Brazers" in page and "51-4121" not in page
    queue = await (await console.get("/console/")).text()
    assert "Welders, Cutters" in queue and "51-4121" not in queue
