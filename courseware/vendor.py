"""Third-party JavaScript the tests use, fetched from the npm registry at a pinned version.

    python -m courseware.vendor fetch            # every package (the browser tests run this)
    python -m courseware.vendor fetch axe-core   # one package

Each package is downloaded as the registry's tarball, checked against the sha512 `dist.integrity`
pinned below (from `npm view NAME@VERSION dist.integrity`), and only the files needed are extracted
into a git-ignored folder. Nothing here is committed, and the book itself needs none of it: its
widgets are drawn by its own script (`courseware/js/courseware-widgets.js`), so building the book
fetches nothing.

- `axe-core`: `axe.min.js`, for the accessibility tests only, into `node_modules/axe-core/`.

To move a version: change `version` and `integrity` together, from `npm view NAME@VERSION
dist.integrity`, then fetch again.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import os
import re
import sys
import tarfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .paths import ROOT

DEFAULT_REGISTRY = "https://registry.npmjs.org"
STAMP = ".fetched"


@dataclass(frozen=True)
class Package:
    """An npm package at a pinned version, and the files the course takes from it."""

    name: str  # "axe-core", or "@scope/name"
    version: str
    integrity: str  # "sha512-<base64>", the registry's dist.integrity
    members: str  # regular expression over the paths inside the tarball ("package/...")
    dest: Path  # where the files go (flat), relative to the repository root

    @property
    def tarball_name(self) -> str:
        """The tarball's file name: the name without its scope, then the version."""
        return f"{self.name.split('/')[-1]}-{self.version}.tgz"

    def url(self, registry: str) -> str:
        return f"{registry.rstrip('/')}/{self.name}/-/{self.tarball_name}"

    @property
    def pin(self) -> str:
        return f"{self.name}@{self.version} {self.integrity}"


AXE = Package(
    name="axe-core",
    version="4.14.1",
    integrity="sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
    members=r"^package/(axe\.min\.js|LICENSE)$",
    dest=Path("node_modules/axe-core"),
)
PACKAGES = {"axe-core": AXE}
AXE_JS = AXE.dest / "axe.min.js"


@dataclass
class VendorError(Exception):
    """A package could not be fetched or did not match its pin. `message` says what to do."""

    package: str
    message: str

    def __str__(self) -> str:
        return f"{self.package}: {self.message}"


def registry() -> str:
    """The npm registry to use: $NPM_CONFIG_REGISTRY if set (a mirror), else the public one."""
    return os.environ.get("NPM_CONFIG_REGISTRY") or os.environ.get("npm_config_registry") or DEFAULT_REGISTRY


def integrity_of(data: bytes) -> str:
    """The npm `dist.integrity` string of a tarball.

    >>> integrity_of(b"")[:20]
    'sha512-z4PhNX7vuL3xV'
    """
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def download(pkg: Package, timeout: float = 60) -> bytes:
    """The package's tarball from the registry; `VendorError` with the next step if unreachable."""
    url = pkg.url(registry())
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 (fixed https URL)
            return resp.read()
    except urllib.error.HTTPError as e:
        raise VendorError(
            pkg.name,
            f"the npm registry answered {e.code} for {url}. Check that "
            f"version {pkg.version} exists (npm view {pkg.name} versions).",
        ) from e
    except (urllib.error.URLError, TimeoutError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise VendorError(
            pkg.name,
            f"could not reach the npm registry at {registry()} ({reason}). The tests need "
            "this JavaScript once: connect to the network (or set "
            "NPM_CONFIG_REGISTRY to a registry mirror you can reach), then run "
            "`python -m courseware.vendor fetch` again.",
        ) from e


def verify(pkg: Package, data: bytes) -> None:
    """Raise `VendorError` unless `data` has the pinned sha512 integrity."""
    got = integrity_of(data)
    if got != pkg.integrity:
        raise VendorError(
            pkg.name,
            f"integrity check failed for {pkg.name}@{pkg.version}: expected "
            f"{pkg.integrity}, got {got}. The download is not the pinned package; it "
            "was not used. Try again, or check the registry you are using.",
        )


def extract(pkg: Package, data: bytes, root: Path = ROOT) -> list[Path]:
    """Write the wanted members of the tarball, flat, into `pkg.dest`; return the paths written."""
    wanted = re.compile(pkg.members)
    dest = root / pkg.dest
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar.getmembers():
            if not (member.isfile() and wanted.match(member.name)):
                continue
            target = dest / Path(member.name).name  # flat: no path from the archive is used
            fileobj = tar.extractfile(member)
            assert fileobj is not None
            target.write_bytes(fileobj.read())
            written.append(target)
    if not written:
        raise VendorError(
            pkg.name,
            f"no file matching {pkg.members} in {pkg.tarball_name}; the "
            "package layout changed: update `members` in courseware/vendor.py.",
        )
    return written


def is_fetched(pkg: Package, root: Path = ROOT) -> bool:
    """True when `pkg` was extracted at its pinned version and integrity."""
    stamp = root / pkg.dest / STAMP
    return stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == pkg.pin


def fetch(pkg: Package, root: Path = ROOT, force: bool = False) -> list[Path]:
    """Download, verify and extract `pkg` unless it is already there at the pinned version."""
    dest = root / pkg.dest
    if force or not is_fetched(pkg, root):
        data = download(pkg)
        verify(pkg, data)
        extract(pkg, data, root)
        (dest / STAMP).write_text(pkg.pin + "\n", encoding="utf-8")
    return sorted(p for p in dest.iterdir() if p.name != STAMP)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m courseware.vendor", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    f = sub.add_parser("fetch", help="download, verify and extract the pinned packages")
    f.add_argument(
        "packages", nargs="*", metavar="PACKAGE", help=f"one of {', '.join(PACKAGES)} (default: all)"
    )
    f.add_argument("--force", action="store_true", help="fetch again even if already present")
    args = parser.parse_args(argv)
    unknown = [p for p in args.packages if p not in PACKAGES]
    if unknown:
        parser.error(f"unknown package {', '.join(unknown)}: use one of {', '.join(PACKAGES)}")
    status = 0
    for key in args.packages or list(PACKAGES):
        pkg = PACKAGES[key]
        try:
            already = is_fetched(pkg) and not args.force
            files = fetch(pkg, force=args.force)
        except VendorError as e:
            print(f"error: {e}", file=sys.stderr)
            status = 1
            continue
        state = "already present" if already else "fetched and verified"
        print(f"{pkg.name}@{pkg.version}: {state}, {len(files)} files in {pkg.dest}")
    return status


if __name__ == "__main__":
    sys.exit(main())
