"""deploy/k8s/podman-play.yaml is what tests/deploy/podplay.py generates (fast: no podman)."""

from __future__ import annotations

import yaml

from tests.deploy import podplay


def test_the_committed_play_file_is_the_generated_one():
    committed = (podplay.ROOT / "deploy" / "k8s" / "podman-play.yaml").read_text()
    assert committed == podplay.HEADER + yaml.safe_dump_all(
        podplay.manifests(podplay.PLACEHOLDERS), sort_keys=False), \
        "run: python -m tests.deploy.podplay > deploy/k8s/podman-play.yaml"


def test_the_pod_nginx_conf_is_the_compose_one_on_loopback():
    conf = podplay.nginx_conf()
    assert "rasa-a:" not in conf and "web:8000" not in conf
    assert f"listen 127.0.0.1:{podplay.PORTS['nginx']};" in conf
    assert "ip_hash;" in conf


def test_every_k8s_manifest_parses_and_has_probes_on_the_real_endpoints():
    folder = podplay.ROOT / "deploy" / "k8s"
    paths = {"navigator-rasa": "/", "navigator-actions": "/health", "navigator-web": "/healthz"}
    seen = set()
    for path in sorted(set(folder.glob("*.yaml")) - {folder / "podman-play.yaml"}):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc and doc.get("kind") == "Deployment":
                name = doc["metadata"]["name"]
                (box,) = doc["spec"]["template"]["spec"]["containers"]
                for probe in ("readinessProbe", "livenessProbe"):
                    assert box[probe]["httpGet"]["path"] == paths[name], (name, probe)
                assert box["resources"]["limits"]["memory"]
                seen.add(name)
    assert seen == set(paths)
