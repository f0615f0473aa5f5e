"""bot/container.py: one process per container, configured from the environment."""

from __future__ import annotations

import yaml

from bot import container
from bot.processes import navigator_services
from bot.settings import Settings
from tests.stack import free_port


def test_the_rasa_endpoints_name_the_action_server_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("NAVIGATOR_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("NAVIGATOR_TRACKER_URL",
                       "postgresql+psycopg2://navigator:pw@db:5432/navigator_tracker")
    monkeypatch.setenv("NAVIGATOR_REDIS_URL", "redis://:secret@redis:6379/0")
    services = navigator_services(Settings.from_env(),
                                  actions_url="http://actions-a:5055/webhook")
    rasa = next(s for s in services if s.name == "rasa")
    endpoints = yaml.safe_load((tmp_path / "endpoints.yml").read_text())
    assert str(tmp_path / "endpoints.yml") in rasa.argv
    assert endpoints["action_endpoint"]["url"] == "http://actions-a:5055/webhook"
    assert endpoints["tracker_store"]["url"] == "db"
    assert endpoints["lock_store"] == {"type": "redis", "url": "redis", "port": 6379,
                                       "db": 0, "password": "secret"}
    assert (tmp_path / "endpoints.yml").stat().st_mode & 0o077 == 0


def test_health_fails_when_nothing_answers_and_usage_is_checked(monkeypatch):
    monkeypatch.setenv("NAVIGATOR_WEB_PORT", str(free_port()))
    assert container.main(["health", "web"]) == 1
    assert container.main(["nonsense"]) == 2
    assert container.main(["health", "nonsense"]) == 2


def test_without_a_model_rasa_does_not_start(tmp_path, monkeypatch):
    monkeypatch.setenv("NAVIGATOR_MODEL", str(tmp_path / "missing.tar.gz"))
    assert container.main(["rasa"]) == 2
