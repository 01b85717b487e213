"""vendor: pinned npm tarballs, integrity-checked, only the needed files extracted, clear errors."""

from __future__ import annotations

import io
import tarfile
from dataclasses import replace
from pathlib import Path

import pytest

from courseware import vendor


def tarball(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def test_the_pins_are_sha512_integrity_strings():
    for pkg in vendor.PACKAGES.values():
        assert pkg.integrity.startswith("sha512-") and len(pkg.integrity) == 95
    assert vendor.AXE.url("https://registry.npmjs.org") == (
        "https://registry.npmjs.org/axe-core/-/axe-core-4.14.1.tgz"
    )
    scoped = replace(vendor.AXE, name="@scope/pkg", version="1.0.0")
    assert scoped.url("https://r.example/") == "https://r.example/@scope/pkg/-/pkg-1.0.0.tgz"


def test_a_download_that_does_not_match_its_pin_is_refused():
    data = tarball({"package/axe.min.js": b"tampered"})
    with pytest.raises(vendor.VendorError, match="integrity check failed"):
        vendor.verify(vendor.AXE, data)
    vendor.verify(replace(vendor.AXE, integrity=vendor.integrity_of(data)), data)


def test_only_the_wanted_files_are_extracted_flat_and_never_outside(tmp_path: Path):
    data = tarball(
        {
            "package/axe.min.js": b"js",
            "package/LICENSE": b"licence",
            "package/axe.js": b"not wanted",
            "package/../../evil.js": b"never",
        }
    )
    written = vendor.extract(vendor.AXE, data, root=tmp_path)
    assert sorted(p.name for p in written) == ["LICENSE", "axe.min.js"]
    assert all(p.parent == tmp_path / vendor.AXE.dest for p in written)
    assert not (tmp_path / "evil.js").exists()


def test_an_unreachable_registry_says_what_to_do(monkeypatch):
    monkeypatch.setenv("NPM_CONFIG_REGISTRY", "http://127.0.0.1:9")  # nothing listens on port 9
    with pytest.raises(vendor.VendorError) as e:
        vendor.download(vendor.AXE, timeout=5)
    assert "could not reach the npm registry at http://127.0.0.1:9" in str(e.value)
    assert "python -m courseware.vendor fetch" in str(e.value)


def test_fetch_skips_the_download_when_the_pinned_files_are_there(tmp_path: Path, monkeypatch):
    dest = tmp_path / vendor.AXE.dest
    dest.mkdir(parents=True)
    (dest / "axe.min.js").write_text("x")
    (dest / vendor.STAMP).write_text(vendor.AXE.pin + "\n")
    monkeypatch.setattr(vendor, "download", lambda pkg: pytest.fail("downloaded again"))
    assert [p.name for p in vendor.fetch(vendor.AXE, root=tmp_path)] == ["axe.min.js"]
