"""Podman on this machine, for the local deploy test: the tools, a base image made without
a registry, the navigator's three images and the stand-ins for postgres, redis and nginx.

`python -m tests.deploy.podman` does every step (each skipped when already done) and
prints how long each took; `make deploy-test` runs it through the test.

What works here (and why the odd settings): podman with runc (crun fails on this
machine's cgroups and rlimits), cgroupfs, no default ulimits, events in a file (no
systemd). No registry is reachable, so the base images are built locally:
`debootstrap --variant=minbase bookworm` from Debian's mirror is localhost/debian-base,
and that plus this machine's Python 3.10 (a pyenv build, copied to /usr/local) stands
in for python:3.10-slim-bookworm. Debian's own python3 is 3.11: too new for Rasa 3.6.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / ".build"  # logs, the model for the build context (ignored by git)
# Root file systems stay out of the repository (and so out of the build context's walk).
WORK = Path(os.environ.get("NAVIGATOR_DEPLOY_WORK", "/var/tmp/navigator-deploy-test"))
CONTAINERFILE = ROOT / "deploy" / "images" / "Containerfile"
STANDINS = Path(__file__).resolve().parent / "standins"
# The trained model the Rasa image bakes in (copied into .build/ for the build context).
SOURCE_MODEL = Path(os.environ.get("NAVIGATOR_MODEL") or ROOT / "models" / "navigator.tar.gz")
# The Python 3.10 copied into the stand-in base: the one this test runs on (a venv's base).
PYTHON_HOME = Path(os.environ.get("NAVIGATOR_STANDIN_PYTHON") or sys.base_prefix)
HOST_CA = Path("/etc/ssl/certs/ca-certificates.crt")

DEBIAN_BASE = "localhost/debian-base:bookworm"
PYTHON_BASE = "localhost/python:3.10-slim-bookworm-standin"
TAG = os.environ.get("NAVIGATOR_IMAGE_TAG", "test")
IMAGES = {name: f"localhost/navigator-{name}:{TAG}" for name in ("rasa", "actions", "web")}
STANDIN_IMAGES = {"postgres": "localhost/navigator-standin-postgres:15",
                  "redis": "localhost/navigator-standin-redis:7",
                  "nginx": "localhost/navigator-standin-nginx:1"}
# Shared libraries the Python build links (ldd of python and its lib-dynload modules),
# as Debian bookworm packages; tkinter's X11/Tk ones are left out.
PYTHON_LIBS = ["ca-certificates", "netbase", "tzdata", "libssl3", "libffi8", "libsqlite3-0",
               "zlib1g", "libbz2-1.0", "liblzma5", "libreadline8", "libncursesw6",
               "libexpat1", "libuuid1", "libgdbm6", "libnsl2", "libtirpc3", "libcrypt1"]
CONTAINERS_CONF = """\
[containers]
default_ulimits = []

[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
events_logger = "file"
"""

timings: Dict[str, float] = {}


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def env() -> Dict[str, str]:
    BUILD.mkdir(exist_ok=True)
    conf = BUILD / "containers.conf"
    if not conf.exists() or conf.read_text() != CONTAINERS_CONF:
        conf.write_text(CONTAINERS_CONF)
    return {**os.environ, "CONTAINERS_CONF": str(conf)}


def podman(*args: str, check: bool = True, capture: bool = True, input: Optional[str] = None,
           timeout: Optional[float] = None) -> subprocess.CompletedProcess:
    result = subprocess.run(["podman", "--runtime", "runc", *args], env=env(), text=True,
                            capture_output=capture, input=input, timeout=timeout)
    if check and result.returncode != 0:
        raise RuntimeError(f"podman {' '.join(args)} failed ({result.returncode}):\n"
                           f"{(result.stdout or '')[-3000:]}\n{(result.stderr or '')[-3000:]}")
    return result


def run_logged(argv: List[str], log: Path, timeout: float = 3600) -> None:
    """Runs a long step with its output in a log file; on failure shows the log's end."""
    with log.open("w") as out:
        result = subprocess.run(argv, env=env(), stdout=out, stderr=subprocess.STDOUT,
                                text=True, timeout=timeout)
    if result.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-40:])
        raise RuntimeError(f"{' '.join(argv[:4])} ... failed ({result.returncode}); "
                           f"{log}:\n{tail}")


def timed(name: str):
    class _Timer:
        def __enter__(self):
            self.started = time.monotonic()
            return self

        def __exit__(self, *exc):
            timings[name] = time.monotonic() - self.started
            say(f"{name}: {timings[name]:.0f} s")
    return _Timer()


def image_exists(name: str) -> bool:
    return podman("image", "exists", name, check=False).returncode == 0


def ensure_tools() -> None:
    """Debian's podman, runc and debootstrap (and podman-compose when Debian has it)."""
    missing = [tool for tool in ("podman", "runc", "debootstrap") if not shutil.which(tool)]
    if not missing:
        return
    with timed("install podman, runc, debootstrap (apt-get)"):
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-qq", "podman", "runc", "debootstrap"],
                       check=True, env=quiet)
        # podman-compose 1.0.3 in bookworm; the compose part of the test skips without it.
        subprocess.run(["apt-get", "install", "-y", "-qq", "podman-compose"], check=False,
                       env=quiet)


def ensure_bases() -> None:
    """localhost/debian-base:bookworm and the Python 3.10 stand-in, made once."""
    if image_exists(DEBIAN_BASE) and image_exists(PYTHON_BASE):
        return
    rootfs = WORK / "rootfs"
    with timed("debootstrap bookworm (minbase)"):
        if not (rootfs / "etc" / "debian_version").exists():
            shutil.rmtree(rootfs, ignore_errors=True)
            WORK.mkdir(parents=True, exist_ok=True)
            run_logged(["debootstrap", "--variant=minbase", "--include=" + ",".join(PYTHON_LIBS),
                        "bookworm", str(rootfs), "http://deb.debian.org/debian"],
                       BUILD / "debootstrap.log")
            shutil.rmtree(rootfs / "var" / "cache" / "apt" / "archives", ignore_errors=True)
            (rootfs / "var" / "cache" / "apt" / "archives" / "partial").mkdir(parents=True)
    with timed("import the base images"):
        if not image_exists(DEBIAN_BASE):
            tar = subprocess.Popen(["tar", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE)
            subprocess.run(["podman", "import", "--change", "CMD [\"bash\"]", "-",
                            DEBIAN_BASE], stdin=tar.stdout, env=env(), check=True,
                           stdout=subprocess.DEVNULL)
            tar.wait()
    with timed("build the Python 3.10 stand-in"):
        # The same root plus Python 3.10 in /usr/local, like the official image.
        context = WORK / "python-standin"
        shutil.rmtree(context, ignore_errors=True)
        (context / "local").mkdir(parents=True)
        excludes = ["./lib/python3.10/test", "./lib/python3.10/idlelib",
                    "./lib/python3.10/tkinter", "./lib/python3.10/site-packages/*",
                    "./bin/idle*", "./bin/2to3*", "./bin/pydoc*", "./bin/pip*",
                    "./lib/python3.10/config-3.10-x86_64-linux-gnu/*.a"]
        pack = subprocess.Popen(["tar", "-C", str(PYTHON_HOME), *[f"--exclude={e}" for e in
                                 excludes], "-c", "."], stdout=subprocess.PIPE)
        subprocess.run(["tar", "-C", str(context / "local"), "-x"], stdin=pack.stdout,
                       check=True)
        pack.wait()
        (context / "Containerfile").write_text(f"""\
FROM {DEBIAN_BASE}
COPY local/ /usr/local/
RUN ldconfig && python3 -c "import ssl, sqlite3, ctypes, lzma, bz2, zlib, venv, ensurepip"
ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
CMD ["python3"]
""")
        run_logged(["podman", "--runtime", "runc", "build", "--format", "docker",
                    "-t", PYTHON_BASE, str(context)], BUILD / "build-python-standin.log")
        shutil.rmtree(context, ignore_errors=True)


def build_args() -> List[str]:
    args = ["--format", "docker", "--build-arg", f"BASE={PYTHON_BASE}",
            "--build-arg", "MODEL=.build/navigator.tar.gz"]
    if HOST_CA.exists():  # a TLS-inspecting proxy between this machine and PyPI
        args += ["--volume", f"{HOST_CA}:/run/build-ca/ca-certificates.crt:ro"]
    return args


def build_images(force: bool = False) -> None:
    model = BUILD / "navigator.tar.gz"
    if not model.exists() or model.stat().st_mtime < SOURCE_MODEL.stat().st_mtime:
        shutil.copy2(SOURCE_MODEL, model)
    for name in ("rasa", "actions", "web"):  # rasa first: it builds the shared stages
        if os.environ.get("NAVIGATOR_DEPLOY_SKIP_BUILD") == "1" and image_exists(IMAGES[name]):
            continue  # iterating on the test itself: keep the images built last time
        with timed(f"podman build --target {name}"):
            run_logged(["podman", "--runtime", "runc", "build", *build_args(),
                        "-f", str(CONTAINERFILE), "--target", name, "-t", IMAGES[name],
                        str(ROOT)], BUILD / f"build-{name}.log")
    for name, image in STANDIN_IMAGES.items():
        if image_exists(image) and not force:
            continue
        with timed(f"stand-in {name}"):
            run_logged(["podman", "--runtime", "runc", "build", "--format", "docker",
                        "--build-arg", f"BASE={DEBIAN_BASE}", "-f",
                        str(STANDINS / "Containerfile"), "--target", name, "-t", image,
                        str(STANDINS)], BUILD / f"build-standin-{name}.log")


def image_size(image: str) -> int:
    return int(podman("image", "inspect", "--format", "{{.Size}}", image).stdout.strip())


def prepare_all() -> None:
    ensure_tools()
    ensure_bases()
    build_images()


if __name__ == "__main__":
    prepare_all()
    for image in IMAGES.values():
        print(f"{image}: {image_size(image) / 1e6:.0f} MB")
    sys.exit(0)
