"""The navigator the way operators run it: the three images, two Rasa replicas and two
action servers on shared PostgreSQL and Redis, behind nginx, played with
`podman kube play` on loopback (tests/deploy/podplay.py says how that differs from
deploy/k8s/), then the same images with deploy/compose.yml when podman-compose is there.

Run by `make deploy-test` (the last step of `make test`), never by `make pytest`:
it installs podman, builds images and starts two Rasa servers, which takes minutes (the
first run, with the base image and the dependency layer, much longer; deploy/README.md).
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import secrets
import shutil
import subprocess
import time
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Dict, List

import pytest
import requests

from tests.deploy import podman as pm
from tests.deploy import podplay
from tests.replies import ACROSS_REPLICAS, texts

# Selected by `make deploy-test` (-m deploy); `make pytest` deselects it (-m "not deploy").
pytestmark = pytest.mark.deploy

BASE = f"http://127.0.0.1:{podplay.PORTS['nginx']}"
HEALTH = {"rasa-a": f"http://127.0.0.1:{podplay.PORTS['rasa-a']}/",
          "rasa-b": f"http://127.0.0.1:{podplay.PORTS['rasa-b']}/",
          "actions-a": f"http://127.0.0.1:{podplay.PORTS['actions-a']}/health",
          "actions-b": f"http://127.0.0.1:{podplay.PORTS['actions-b']}/health",
          "web": f"http://127.0.0.1:{podplay.PORTS['web']}/healthz",
          "nginx": f"{BASE}/healthz"}
PASSWORD = "deploy-test-" + secrets.token_hex(8)


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def make_secrets() -> Dict[str, str]:
    return {"POSTGRES_PASSWORD": "pg" + secrets.token_hex(16),
            "REDIS_PASSWORD": "rd" + secrets.token_hex(16),
            "NAVIGATOR_CONSOLE_SECRET": base64.urlsafe_b64encode(os.urandom(32)).decode(),
            "TWILIO_AUTH_TOKEN": "tw" + secrets.token_hex(16)}


def container(pod: str, name: str) -> str:
    """The container podman kube play made for container `name` of Deployment/Pod `pod`."""
    names = pm.podman("ps", "-a", "--format", "{{.Names}}").stdout.split()
    found = [n for n in names if n.startswith(pod) and n.endswith(f"-{name}")]
    assert found, f"no container {name} of {pod} among {names}"
    return found[0]


def healthy(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.RequestException:
        return False


def wait_for(what: str, check, timeout: float, logs_of: str | None = None) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if check():
            return time.monotonic() - started
        time.sleep(2)
    tail = pm.podman("logs", "--tail", "40", logs_of, check=False).stderr if logs_of else ""
    pytest.fail(f"{what} not ready after {timeout:.0f} s\n{tail}")


class Deployment:
    def __init__(self, values: podplay.PlayValues, files: Dict[str, Path]) -> None:
        self.values, self.files = values, files
        self.started: Dict[str, float] = {}

    def pg(self, database: str):
        import psycopg2

        return psycopg2.connect(host="127.0.0.1", port=podplay.PORTS["postgres"],
                                user="navigator", dbname=database,
                                password=self.values.secrets["POSTGRES_PASSWORD"],
                                connect_timeout=3)

    def down(self) -> None:
        for stage in reversed(list(self.files)):
            pm.podman("kube", "down", str(self.files[stage]), check=False)


def play_down_leftovers(files: Dict[str, Path]) -> None:
    for path in files.values():
        if path.exists():
            pm.podman("kube", "down", str(path), check=False)


@pytest.fixture(scope="module")
def images():
    started = time.monotonic()
    pm.prepare_all()
    say(f"images ready in {time.monotonic() - started:.0f} s: "
        + ", ".join(f"{k} {v:.0f} s" for k, v in pm.timings.items()))
    return pm.IMAGES


@pytest.fixture(scope="module")
def deployment(images):
    play_dir = pm.BUILD / "play"
    play_dir.mkdir(parents=True, exist_ok=True)
    files = {stage: play_dir / f"{stage}.yaml" for stage in ("data", "migrate", "app")}
    play_down_leftovers(files)
    nginx_conf = pm.BUILD / "nginx-pod.conf"
    nginx_conf.write_text(podplay.nginx_conf())
    values = podplay.PlayValues(
        images={**images, **pm.STANDIN_IMAGES}, secrets=make_secrets(),
        nginx_conf=str(nginx_conf), initdb=str(pm.ROOT / "deploy" / "postgres" / "initdb"))
    docs = podplay.manifests(values)
    for stage, path in files.items():
        path.write_text(podplay.stage(docs, stage))
        path.chmod(0o600)  # holds this run's generated passwords
    dep = Deployment(values, files)
    try:
        t0 = time.monotonic()
        pm.podman("kube", "play", str(files["data"]))

        def data_ready() -> bool:
            import redis

            try:
                dep.pg("navigator_tracker").close()
                return redis.Redis(host="127.0.0.1", port=podplay.PORTS["redis"],
                                   password=values.secrets["REDIS_PASSWORD"]).ping()
            except Exception:  # noqa: BLE001 - not up yet
                return False
        wait_for("PostgreSQL and Redis", data_ready, 120,
                 logs_of=container("navigator-postgres", "postgres"))
        say(f"PostgreSQL and Redis ready ({time.monotonic() - t0:.0f} s)")
        pm.podman("kube", "play", str(files["migrate"]))
        migrate = container("navigator-migrate", "migrate")
        code = pm.podman("wait", migrate, timeout=300).stdout.strip()
        logs = pm.podman("logs", migrate).stdout + pm.podman("logs", migrate).stderr
        assert code == "0", f"migrate exited {code}:\n{logs[-3000:]}"
        say(f"migrated and loaded the sample ({time.monotonic() - t0:.0f} s)")
        t1 = time.monotonic()
        pm.podman("kube", "play", str(files["app"]))
        pending = dict(HEALTH)
        while pending:
            for name, url in list(pending.items()):
                if healthy(url):
                    dep.started[name] = time.monotonic() - t1
                    say(f"{name} healthy after {dep.started[name]:.0f} s")
                    del pending[name]
            if time.monotonic() - t1 > 900:
                tails = {n: pm.podman("logs", "--tail", "30", container(
                    f"navigator-{n}", n.split("-")[0]), check=False).stderr[-2000:]
                    for n in pending}
                pytest.fail(f"not healthy after 900 s: {list(pending)}\n{tails}")
            time.sleep(3)
        yield dep
    finally:
        if os.environ.get("NAVIGATOR_DEPLOY_KEEP") != "1":
            dep.down()


def test_images_run_as_non_root_and_hold_no_secret(deployment):
    sizes = {}
    for image in pm.IMAGES.values():
        user = pm.podman("image", "inspect", "--format", "{{.Config.User}}", image).stdout
        assert user.strip() == "10001:10001", (image, user)
        history = pm.podman("history", "--no-trunc", "--format", "{{.CreatedBy}}",
                            image).stdout
        config_env = pm.podman("image", "inspect", "--format", "{{json .Config.Env}}",
                               image).stdout
        for text in (history, config_env):
            for value in deployment.values.secrets.values():
                assert value not in text, f"{image} holds a secret value"
            assert not re.search(r"TWILIO|SECRET|PASSWORD", text), \
                f"{image}: {re.findall(r'.{0,40}(?:TWILIO|SECRET|PASSWORD).{0,40}', text)}"
        healthcheck = json.loads(pm.podman("image", "inspect", "--format",
                                           "{{json .Config.Healthcheck}}", image).stdout)
        assert healthcheck and "bot.container" in " ".join(healthcheck["Test"]), image
        sizes[image] = pm.image_size(image)
    for pod, name in (("navigator-rasa-a", "rasa"), ("navigator-actions-a", "actions"),
                      ("navigator-web", "web")):
        uid = pm.podman("exec", container(pod, name), "id", "-u").stdout.strip()
        assert uid == "10001", (pod, uid)
    report = "\n".join(f"{image}: {size / 1e6:.0f} MB" for image, size in sizes.items())
    (pm.BUILD / "image-sizes.txt").write_text(report + "\n")
    say("image sizes:\n" + report)


def test_every_probe_and_image_healthcheck_passes(deployment):
    for name, url in HEALTH.items():
        assert healthy(url), name
    # Each image's HEALTHCHECK command, run in its container (kube play does not carry an
    # image's HEALTHCHECK over to the container, so `podman healthcheck run` cannot).
    for pod, name in (("navigator-rasa-a", "rasa"), ("navigator-rasa-b", "rasa"),
                      ("navigator-actions-a", "actions"), ("navigator-web", "web")):
        test = json.loads(pm.podman("image", "inspect", "--format",
                                    "{{json .Config.Healthcheck.Test}}",
                                    pm.IMAGES[name]).stdout)
        assert test[0] == "CMD", test
        result = pm.podman("exec", container(pod, name), *test[1:], check=False)
        assert result.returncode == 0, (pod, test, result.stdout, result.stderr)
    # Memory after start-up (the k8s requests and limits come from these).
    stats = pm.podman("stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}}",
                      check=False)
    say("memory:\n" + (stats.stdout or stats.stderr))
    (pm.BUILD / "memory.txt").write_text(stats.stdout or stats.stderr)


def test_a_learner_over_socketio_through_nginx(deployment):
    import socketio

    async def talk() -> List[str]:
        client = socketio.AsyncClient(reconnection=False)
        confirmed, said = asyncio.Event(), asyncio.Queue()
        session = uuid.uuid4().hex

        @client.on("session_confirm")
        async def _confirm(_data):
            confirmed.set()

        @client.on("bot_uttered")
        async def _bot(data):
            await said.put(data.get("text") or "")

        # Long-polling only: every request is a new HTTP request that nginx must send to
        # the same replica (python-engineio's websocket needs aiohttp 3.10; Rasa pins 3.9).
        await client.connect(BASE, socketio_path="/socket.io", transports=["polling"])
        try:
            await client.emit("session_request", {"session_id": session})
            await asyncio.wait_for(confirmed.wait(), 30)
            await client.emit("user_uttered", {"message": "what is IET?",
                                               "session_id": session})
            got: List[str] = []
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    got.append(await asyncio.wait_for(said.get(), 5))
                except asyncio.TimeoutError:
                    if got:
                        break
                if "Integrated Education and Training" in " ".join(got):
                    break
            return got
        finally:
            await client.disconnect()

    replies = asyncio.run(talk())
    assert "Integrated Education and Training" in " ".join(replies), replies


def test_a_signed_sms_through_nginx(deployment):
    from twilio.request_validator import RequestValidator

    url = f"{BASE}/webhooks/sms/webhook"
    params = {"From": f"+1503555{uuid.uuid4().int % 10000:04d}", "To": "+15415550100",
              "Body": "hi", "MessageSid": f"SM{uuid.uuid4().hex}", "NumMedia": "0"}
    validator = RequestValidator(deployment.values.secrets["TWILIO_AUTH_TOKEN"])
    response = requests.post(url, data=params, timeout=30, headers={
        "X-Twilio-Signature": validator.compute_signature(url, params)})
    assert response.status_code == 200, response.text
    replies = [m.text or "" for m in ET.fromstring(response.text).iter("Message")]
    assert replies and "chat bot" in replies[0], replies
    forged = requests.post(url, data={**params, "Body": "delete my data"}, timeout=30,
                           headers={"X-Twilio-Signature": validator.compute_signature(
                               url, params)})
    assert forged.status_code == 403


def test_a_navigator_logs_in_through_nginx(deployment):
    web = container("navigator-web", "web")
    added = pm.podman("exec", "-i", web, "python", "-m", "bot.console", "users", "add",
                      "ana", "--team", "lane", "--password-stdin", input=PASSWORD + "\n")
    assert "Added navigator ana" in added.stdout
    session = requests.Session()
    page = session.get(f"{BASE}/console/login", timeout=10).text
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    response = session.post(f"{BASE}/console/login", timeout=10, allow_redirects=False,
                            data={"username": "ana", "password": PASSWORD, "csrf": token})
    assert response.status_code == 303 and response.headers["Location"] == "/console/"
    queue = session.get(f"{BASE}/console/", timeout=10)
    assert queue.status_code == 200 and "/console/login" not in queue.url
    assert "ana" in queue.text


def test_a_conversation_survives_losing_a_rasa_replica(deployment):
    nginx = container("navigator-nginx", "nginx")
    rasa_a = container("navigator-rasa-a", "rasa")
    sender = f"deploy-{uuid.uuid4()}"
    log_start = len(pm.podman("logs", nginx).stdout.splitlines())
    for turn, (message, expected) in enumerate(ACROSS_REPLICAS):
        if turn == 2:
            started = time.monotonic()
            pm.podman("stop", "-t", "15", rasa_a)
            say(f"stopped {rasa_a} ({time.monotonic() - started:.0f} s) after turn {turn}")
            assert not healthy(HEALTH["rasa-a"])
        response = requests.post(f"{BASE}/webhooks/rest/webhook", timeout=60,
                                 json={"sender": sender, "message": message})
        assert response.status_code == 200, (turn, response.status_code, response.text)
        assert expected in texts(response.json()), (turn, response.json())
    with deployment.pg("navigator_tracker") as conn, conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM events WHERE sender_id = %s "
                       "AND type_name = 'user'", (sender,))
        assert cursor.fetchone()[0] == len(ACROSS_REPLICAS)
    stats = pm.podman("stats", "--no-stream", "--format", "{{.Name}} {{.MemUsage}}",
                      check=False)
    (pm.BUILD / "memory-after-conversations.txt").write_text(stats.stdout or stats.stderr)
    served = [line for line in pm.podman("logs", nginx).stdout.splitlines()[log_start:]
              if "/webhooks/rest/webhook" in line]
    say("nginx, upstream per REST turn:\n" + "\n".join(served))
    a, b = (f"127.0.0.1:{podplay.PORTS[r]}" for r in ("rasa-a", "rasa-b"))
    upstreams = [re.search(r"upstream=(.*?) upstream_status=", line).group(1).split(", ")
                 for line in served]
    assert len(upstreams) == len(ACROSS_REPLICAS), served
    # Round-robin before the stop: both replicas took turns of this conversation.
    assert {tried[-1] for tried in upstreams[:2]} == {a, b}, served
    # After it every turn was answered by the replica left (some after trying the other).
    assert all(tried[-1] == b for tried in upstreams[2:]), served


COMPOSE_PORT = 18081


def compose_command() -> List[str] | None:
    if shutil.which("podman-compose"):
        return ["podman-compose"]
    return None


@pytest.mark.skipif(os.environ.get("NAVIGATOR_DEPLOY_COMPOSE", "1") == "0",
                    reason="NAVIGATOR_DEPLOY_COMPOSE=0")
def test_the_compose_file_runs_the_same_images(images, deployment):
    command = compose_command()
    if command is None:
        pytest.skip("podman-compose is not installed (Debian: apt-get install podman-compose)")
    deployment.down()  # one stack at a time on two cores
    values = make_secrets()
    env = {**pm.env(), **values, "REGISTRY": "localhost", "TAG": pm.TAG,
           "POSTGRES_IMAGE": pm.STANDIN_IMAGES["postgres"],
           "REDIS_IMAGE": pm.STANDIN_IMAGES["redis"],
           "NGINX_IMAGE": pm.STANDIN_IMAGES["nginx"],
           "NAVIGATOR_HTTP_PORT": str(COMPOSE_PORT),
           "NAVIGATOR_PUBLIC_URL": f"http://127.0.0.1:{COMPOSE_PORT}",
           "NAVIGATOR_CONSOLE_INSECURE_COOKIE": "1"}
    base = [*command, "-p", "navigator-deploytest", "-f", str(pm.ROOT / "deploy" /
                                                               "compose.yml")]
    log = (pm.BUILD / "compose.log").open("w")

    def compose(*args: str, check: bool = True, timeout: float = 600):
        result = subprocess.run([*base, *args], env=env, stdout=log,
                                stderr=subprocess.STDOUT, timeout=timeout)
        if check and result.returncode != 0:
            log.flush()
            tail = (pm.BUILD / "compose.log").read_text(errors="replace")[-3000:]
            pytest.fail(f"compose {' '.join(args)} failed:\n{tail}")
        return result

    try:
        started = time.monotonic()
        # Step by step, so the start order holds even where depends_on conditions
        # are not honoured (podman-compose and podman without systemd healthchecks).
        compose("up", "-d", "postgres", "redis")
        postgres = "navigator-deploytest_postgres_1"
        wait_for("compose PostgreSQL", lambda: pm.podman(
            "exec", postgres, "pg_isready", "-h", "127.0.0.1", "-U", "navigator",
            check=False).returncode == 0, 120)
        time.sleep(3)  # the init script's database
        compose("run", "--rm", "migrate")
        compose("up", "-d", "--no-deps", "actions-a", "actions-b", "web")
        compose("up", "-d", "--no-deps", "rasa-a", "rasa-b")
        compose("up", "-d", "--no-deps", "nginx")
        url = f"http://127.0.0.1:{COMPOSE_PORT}"

        def turn_works() -> bool:
            try:
                reply = requests.post(f"{url}/webhooks/rest/webhook", timeout=30,
                                      json={"sender": f"compose-{uuid.uuid4()}",
                                            "message": "what is IET?"})
                return reply.status_code == 200 and \
                    "Integrated Education and Training" in texts(reply.json())
            except (requests.RequestException, ValueError):
                return False

        wait_for("the compose stack (REST through nginx)", turn_works, 900)
        say(f"compose stack answered after {time.monotonic() - started:.0f} s")
        for service in ("rasa-a", "rasa-b", "actions-a", "actions-b", "web"):
            name = f"navigator-deploytest_{service}_1"
            kind = service.split("-")[0]
            assert pm.podman("exec", name, "python", "-m", "bot.container", "health",
                             kind, check=False).returncode == 0, service
        assert healthy(f"{url}/healthz")
    finally:
        compose("down", "-v", check=False, timeout=300)
        log.close()
