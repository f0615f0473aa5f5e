"""The podman-friendly manifests the local deploy test plays (`podman kube play`).

`podman kube play` runs Deployments and Pods but not Services, Ingresses or
HorizontalPodAutoscalers, and this machine has no cluster DNS. So the test runs the
same images, commands and settings as deploy/k8s/ with these differences:

- every pod uses the host's network (hostNetwork) and every process listens on
  127.0.0.1 only, on ports of its own: loopback, nothing reachable from outside;
- the two Rasa replicas (and their action servers) are two Deployments on two ports
  instead of one Deployment with `replicas: 2` behind a Service;
- nginx (deploy/nginx/nginx.conf with those addresses) stands in for the Ingress;
- values come inline instead of from the Secret and ConfigMap, and probes are left out
  (podman runs them with systemd timers, which this machine lacks): the test checks
  every health endpoint itself, and each image's HEALTHCHECK with `podman healthcheck run`.

`python -m tests.deploy.podplay` prints the manifests with placeholders: that is
deploy/k8s/podman-play.yaml (tests/deploy/test_podplay_in_step.py keeps it in step).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

import yaml

ROOT = Path(__file__).resolve().parents[2]
NGINX_CONF = ROOT / "deploy" / "nginx" / "nginx.conf"

PORTS = {"postgres": 15432, "redis": 16379, "rasa-a": 15005, "rasa-b": 15006,
         "actions-a": 15055, "actions-b": 15056, "web": 18000, "nginx": 18080}


@dataclass
class PlayValues:
    images: Dict[str, str]  # rasa, actions, web, postgres, redis, nginx
    secrets: Dict[str, str]  # POSTGRES_PASSWORD, REDIS_PASSWORD, NAVIGATOR_CONSOLE_SECRET,
    # TWILIO_AUTH_TOKEN
    nginx_conf: str  # host path of the rendered nginx configuration
    initdb: str  # host path of deploy/postgres/initdb
    extra_env: Dict[str, str] = field(default_factory=dict)


PLACEHOLDERS = PlayValues(
    images={name: f"${{{name.upper()}_IMAGE}}" for name in
            ("rasa", "actions", "web", "postgres", "redis", "nginx")},
    secrets={name: f"${{{name}}}" for name in
             ("POSTGRES_PASSWORD", "REDIS_PASSWORD", "NAVIGATOR_CONSOLE_SECRET",
              "TWILIO_AUTH_TOKEN")},
    nginx_conf="${BUILD_DIR}/nginx-pod.conf",
    initdb="${REPO}/deploy/postgres/initdb",
)


def nginx_conf() -> str:
    """deploy/nginx/nginx.conf with the loopback addresses of the played pods."""
    text = NGINX_CONF.read_text()
    for old, new in (("rasa-a:5005", f"127.0.0.1:{PORTS['rasa-a']}"),
                     ("rasa-b:5005", f"127.0.0.1:{PORTS['rasa-b']}"),
                     ("web:8000", f"127.0.0.1:{PORTS['web']}"),
                     ("listen 8080;", f"listen 127.0.0.1:{PORTS['nginx']};")):
        assert old in text, f"{old} not in {NGINX_CONF}"
        text = text.replace(old, new)
    return text


def _env(values: Dict[str, str]) -> List[Dict[str, str]]:
    return [{"name": k, "value": str(v)} for k, v in values.items()]


def navigator_env(v: PlayValues) -> Dict[str, str]:
    pg = f"navigator:{v.secrets['POSTGRES_PASSWORD']}@127.0.0.1:{PORTS['postgres']}"
    public = f"http://127.0.0.1:{PORTS['nginx']}"
    return {
        "NAVIGATOR_DATABASE_URL": f"postgresql+psycopg2://{pg}/navigator",
        "NAVIGATOR_TRACKER_URL": f"postgresql+psycopg2://{pg}/navigator_tracker",
        "NAVIGATOR_REDIS_URL":
            f"redis://:{v.secrets['REDIS_PASSWORD']}@127.0.0.1:{PORTS['redis']}/0",
        "NAVIGATOR_HOST": "127.0.0.1",
        "NAVIGATOR_PUBLIC_RASA_URL": public,
        "NAVIGATOR_SMS_PUBLIC_URL": f"{public}/webhooks/sms/webhook",
        "NAVIGATOR_CONSOLE_SECRET": v.secrets["NAVIGATOR_CONSOLE_SECRET"],
        # Plain HTTP on 127.0.0.1 in the test; production sits behind TLS.
        "NAVIGATOR_CONSOLE_INSECURE_COOKIE": "1",
        "TWILIO_AUTH_TOKEN": v.secrets["TWILIO_AUTH_TOKEN"],
        **v.extra_env,
    }


def _deployment(name: str, stage: str, containers: List[dict],
                volumes: List[dict] | None = None) -> dict:
    spec: dict = {"hostNetwork": True, "containers": containers}
    if volumes:
        spec["volumes"] = volumes
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": f"navigator-{name}",
                     "labels": {"app.kubernetes.io/part-of": "navigator",
                                "navigator/play-stage": stage}},
        "spec": {"replicas": 1,
                 "selector": {"matchLabels": {"app": f"navigator-{name}"}},
                 "template": {"metadata": {"labels": {"app": f"navigator-{name}"}},
                              "spec": spec}},
    }


def _container(name: str, image: str, env: Dict[str, str], **extra) -> dict:
    return {"name": name, "image": image, "env": _env(env), **extra}


def manifests(v: PlayValues) -> List[dict]:
    """In play order: stage `data` (PostgreSQL, Redis), `migrate` (the one-shot Pod),
    `app` (2 Rasa, 2 action servers, the web app, nginx)."""
    env = navigator_env(v)
    docs = [
        _deployment("postgres", "data", [_container(
            "postgres", v.images["postgres"],
            {"POSTGRES_USER": "navigator", "POSTGRES_DB": "navigator",
             "POSTGRES_PASSWORD": v.secrets["POSTGRES_PASSWORD"]},
            args=["postgres", "-c", "listen_addresses=127.0.0.1",
                  "-c", f"port={PORTS['postgres']}"],
            volumeMounts=[{"name": "initdb", "mountPath": "/docker-entrypoint-initdb.d",
                           "readOnly": True}])],
            volumes=[{"name": "initdb",
                      "hostPath": {"path": v.initdb, "type": "Directory"}}]),
        _deployment("redis", "data", [_container(
            "redis", v.images["redis"], {"REDIS_PASSWORD": v.secrets["REDIS_PASSWORD"]},
            command=["sh", "-c", 'exec redis-server --bind 127.0.0.1 --port '
                     f'{PORTS["redis"]} --save "" --requirepass "$REDIS_PASSWORD"'])]),
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": "navigator-migrate",
                      "labels": {"app.kubernetes.io/part-of": "navigator",
                                 "navigator/play-stage": "migrate"}},
         "spec": {"hostNetwork": True, "restartPolicy": "Never", "containers": [_container(
             "migrate", v.images["web"], env,
             command=["python", "-m", "bot.container", "migrate", "--sample"])]}},
    ]
    for replica in ("a", "b"):
        rasa_port, actions_port = PORTS[f"rasa-{replica}"], PORTS[f"actions-{replica}"]
        docs.append(_deployment(f"actions-{replica}", "app", [_container(
            "actions", v.images["actions"],
            {**env, "NAVIGATOR_ACTIONS_PORT": str(actions_port)})]))
        docs.append(_deployment(f"rasa-{replica}", "app", [_container(
            "rasa", v.images["rasa"],
            {**env, "NAVIGATOR_RASA_PORT": str(rasa_port),
             "NAVIGATOR_ACTIONS_URL": f"http://127.0.0.1:{actions_port}/webhook"})]))
    docs.append(_deployment("web", "app", [_container(
        "web", v.images["web"], {**env, "NAVIGATOR_WEB_PORT": str(PORTS["web"])})]))
    docs.append(_deployment("nginx", "app", [_container(
        "nginx", v.images["nginx"], {},
        volumeMounts=[{"name": "conf", "mountPath": "/etc/nginx/conf.d/default.conf",
                       "readOnly": True}])],
        volumes=[{"name": "conf", "hostPath": {"path": v.nginx_conf, "type": "File"}}]))
    return docs


def stage(docs: List[dict], name: str) -> str:
    return yaml.safe_dump_all(
        [d for d in docs if d["metadata"]["labels"]["navigator/play-stage"] == name],
        sort_keys=False)


HEADER = """\
# GENERATED by `python -m tests.deploy.podplay > deploy/k8s/podman-play.yaml`: do not edit.
# What the local deploy test (make deploy-test) plays with `podman kube play`, stage by
# stage (navigator/play-stage: data, then migrate, then app), with ${...} filled in.
# It is NOT what a cluster runs: see the other files in this folder. Differences, and
# why, are in tests/deploy/podplay.py and deploy/README.md.
"""


def main() -> int:
    sys.stdout.write(HEADER + yaml.safe_dump_all(manifests(PLACEHOLDERS), sort_keys=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
