"""Every console URL and its handler."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from bot.console import auth, catalogue_views, conversation, dashboard, views

STATIC = Path(__file__).resolve().parent / "static"


def setup_routes(app: web.Application) -> None:
    app.router.add_get("/login", auth.login_page)
    app.router.add_post("/login", auth.login)
    app.router.add_post("/logout", auth.logout)
    app.router.add_get("/", views.queue_page)
    app.router.add_get("/referrals/{id:\\d+}", views.referral_page)
    app.router.add_post("/referrals/{id:\\d+}/status", views.change_status)
    app.router.add_post("/referrals/{id:\\d+}/assign", views.assign)
    app.router.add_post("/referrals/{id:\\d+}/messages", conversation.send_message)
    app.router.add_post("/referrals/{id:\\d+}/handback", conversation.hand_back)
    app.router.add_get("/referrals/{id:\\d+}/feed", conversation.feed)
    app.router.add_get("/export.csv", views.export_csv)
    app.router.add_get("/audit", views.audit_page)
    app.router.add_get("/users", views.users_page)
    dashboard.add_routes(app)
    catalogue_views.add_routes(app)
    app.router.add_static("/static/", STATIC)
