"""Every setting the navigator reads, in one place, from environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {raw!r}") from None


@dataclass(frozen=True)
class Settings:
    host: str
    rasa_port: int
    actions_port: int
    web_port: int
    # What a learner's browser uses to reach Rasa; differs from localhost behind a proxy.
    public_rasa_url: str
    var_dir: Path
    model_path: Path
    console_idle_minutes: int
    # Off only for plain-HTTP setups other than localhost; browsers treat localhost as secure.
    console_secure_cookie: bool
    # A navigator's hold ends after this long without a message from them.
    hold_idle_minutes: int = 30
    # How often the web app looks for scheduled messages due and idle holds.
    worker_seconds: int = 15

    @property
    def tracker_db(self) -> Path:
        return self.var_dir / "tracker.db"

    @property
    def tracker_url(self) -> str:
        """Rasa's tracker store (the conversations): PostgreSQL in production."""
        return os.environ.get("NAVIGATOR_TRACKER_URL") or f"sqlite:///{self.tracker_db}"

    @property
    def redis_url(self) -> str | None:
        """Redis for Rasa's lock store (and SMS exactly-once) when replicas share work."""
        return os.environ.get("NAVIGATOR_REDIS_URL") or None

    @classmethod
    def from_env(cls) -> Settings:
        rasa_port = _int("NAVIGATOR_RASA_PORT", 5005)
        return cls(
            host=os.environ.get("NAVIGATOR_HOST", "127.0.0.1"),
            rasa_port=rasa_port,
            actions_port=_int("NAVIGATOR_ACTIONS_PORT", 5055),
            web_port=_int("NAVIGATOR_WEB_PORT", 8000),
            public_rasa_url=os.environ.get(
                "NAVIGATOR_PUBLIC_RASA_URL", f"http://localhost:{rasa_port}"
            ),
            var_dir=Path(os.environ.get("NAVIGATOR_VAR_DIR", ROOT / "var")),
            model_path=Path(
                os.environ.get("NAVIGATOR_MODEL", ROOT / "models" / "navigator.tar.gz")
            ),
            console_idle_minutes=_int("NAVIGATOR_CONSOLE_IDLE_MINUTES", 30),
            console_secure_cookie=os.environ.get("NAVIGATOR_CONSOLE_INSECURE_COOKIE") != "1",
            hold_idle_minutes=_int("NAVIGATOR_HOLD_IDLE_MINUTES", 30),
            worker_seconds=_int("NAVIGATOR_WORKER_SECONDS", 15),
        )
