"""Intake: LMS file naming → student ids, nested zips, duplicates, unreadable files kept."""

from __future__ import annotations

import os
import zipfile

import kit
import pytest

from courseware.grading.intake import IntakeError, collect, identify

NB = kit.dumps(kit.build(kit.fixture_exercise()))


@pytest.mark.parametrize(
    "path, expected",
    [
        ("smithjane_12345_67890_soviets.ipynb", ("12345", "smithjane", "canvas", "soviets.ipynb")),
        ("smithjane_LATE_12345_67890_soviets.ipynb", ("12345", "smithjane", "canvas", "soviets.ipynb")),
        ("smithjane_12345_67891_soviets-1.ipynb", ("12345", "smithjane", "canvas", "soviets-1.ipynb")),
        (
            "Jane Smith_678_assignsubmission_file_soviets.ipynb",
            ("678", "Jane Smith", "moodle", "soviets.ipynb"),
        ),
        (
            "Jane Smith_678_assignsubmission_file_/soviets.ipynb",
            ("678", "Jane Smith", "moodle", "soviets.ipynb"),
        ),
        (
            "export/Jane Smith_678_assignsubmission_file_/answers/soviets.ipynb",
            ("678", "Jane Smith", "moodle", "soviets.ipynb"),
        ),
        ("jsmith.ipynb", ("jsmith", "jsmith", "folder", "jsmith.ipynb")),
    ],
)
def test_lms_file_names_give_the_student_id(path, expected):
    assert identify(path) == expected


def test_a_canvas_zip_with_nested_folders_and_mac_clutter(tmp_path):
    z = tmp_path / "submissions.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("submissions/section-a/smithjane_12345_67890_soviets.ipynb", NB)
        zf.writestr("submissions/section-b/doejohn_LATE_222_333_soviets.ipynb", NB)
        zf.writestr("__MACOSX/submissions/._smithjane_12345_67890_soviets.ipynb", b"junk")
        zf.writestr("submissions/.DS_Store", b"junk")
    subs = collect(z)
    assert [(s.student, s.name, s.lms) for s in subs] == [
        ("12345", "smithjane", "canvas"),
        ("222", "doejohn", "canvas"),
        ("submissions/.DS_Store", ".DS_Store", "folder"),
    ]
    assert subs[0].cells and subs[0].data == NB and subs[0].problem is None
    # the Mac's shadow copy travels with its student; the folder file gets a row saying what it is
    assert [s.filename for s in subs[0].superseded] == [
        "__MACOSX/submissions/._smithjane_12345_67890_soviets.ipynb"
    ]
    assert "not a submission" in subs[2].problem


def test_a_moodle_zip_in_folders(tmp_path):
    z = tmp_path / "moodle.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("Jane Smith_678_assignsubmission_file_/soviets.ipynb", NB)
        zf.writestr("Ali Khan_679_assignsubmission_file_soviets.ipynb", NB)
    assert [(s.student, s.name, s.lms) for s in collect(z)] == [
        ("678", "Jane Smith", "moodle"),
        ("679", "Ali Khan", "moodle"),
    ]


def test_duplicate_students_keep_the_latest_and_record_the_rest(tmp_path):
    z = tmp_path / "dupes.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr(zipfile.ZipInfo("smithjane_12345_67890_soviets.ipynb", (2024, 3, 1, 10, 0, 0)), NB)
        zf.writestr(
            zipfile.ZipInfo("smithjane_12345_67999_soviets-1.ipynb", (2024, 3, 2, 9, 0, 0)), NB + b" "
        )
        zf.writestr(zipfile.ZipInfo("smithjane_12345_68000_notes.pdf", (2024, 3, 3, 9, 0, 0)), b"%PDF")
    [sub] = collect(z)
    assert sub.filename == "smithjane_12345_67999_soviets-1.ipynb"
    assert sorted(s.filename for s in sub.superseded) == [
        "smithjane_12345_67890_soviets.ipynb",
        "smithjane_12345_68000_notes.pdf",
    ]
    assert "3 files from this student" in sub.notes[0]


def test_in_a_folder_the_newest_file_wins(tmp_path):
    (tmp_path / "a").mkdir()
    old, new = tmp_path / "a" / "smithjane_1_10_x.ipynb", tmp_path / "smithjane_1_11_x.ipynb"
    old.write_bytes(NB)
    new.write_bytes(NB)
    os.utime(old, (1_700_000_000, 1_700_000_000))
    os.utime(new, (1_600_000_000, 1_600_000_000))
    [sub] = collect(tmp_path)
    assert sub.filename == "a/smithjane_1_10_x.ipynb"


def test_unreadable_files_are_kept_with_a_reason(tmp_path):
    (tmp_path / "latin.ipynb").write_bytes('{"nbformat": 4, "cells": [], "x": "é"}'.encode("latin-1"))
    (tmp_path / "cut.ipynb").write_bytes(NB[:200])
    (tmp_path / "essay.docx").write_bytes(b"PK..")
    subs = {s.student: s for s in collect(tmp_path)}
    assert subs["latin"].problem.startswith("not UTF-8")
    assert subs["cut"].problem.startswith("truncated")
    assert subs["essay"].problem == "not a notebook: the file is .docx"
    assert all(s.cells is None and s.data for s in subs.values())


def test_a_missing_or_wrong_path_says_what_to_give(tmp_path):
    with pytest.raises(IntakeError, match="no such file or folder"):
        collect(tmp_path / "nope")
    (tmp_path / "x.txt").write_text("hi")
    with pytest.raises(IntakeError, match="not a folder and not a zip"):
        collect(tmp_path / "x.txt")


def _accounted(subs) -> set[str]:
    return {s.filename for s in subs} | {o.filename for s in subs for o in s.superseded}


def test_every_entry_of_a_folder_gets_a_row_or_is_archived_with_its_student(tmp_path):
    root = tmp_path / "subs"
    root.mkdir()
    secret = tmp_path / "gradebook.db"
    secret.write_bytes(b"SQLite format 3 secret rows")
    (root / ".hidden.ipynb").write_bytes(NB)
    (root / "Thumbs.db notes.ipynb").write_bytes(NB)
    (root / "a b.ipynb").write_bytes(NB)
    (root / "a_b.ipynb").write_bytes(NB)
    (root / "dangling.ipynb").symlink_to(tmp_path / "nowhere.ipynb")
    (root / "gradebook-link.ipynb").symlink_to(secret)
    (root / "Thumbs.db").write_bytes(b"junk")
    moodle = root / "Jane Smith_678_assignsubmission_file_"
    moodle.mkdir()
    (moodle / ".soviets.ipynb").write_bytes(NB)
    (root / "deep.ipynb").write_bytes(b"[" * 200_000 + b"]" * 200_000)
    entries = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_symlink() or p.is_file()}
    subs = collect(root)
    assert _accounted(subs) == entries
    by = {s.filename: s for s in subs}
    assert by["Jane Smith_678_assignsubmission_file_/.soviets.ipynb"].problem is None
    assert by[".hidden.ipynb"].problem is None and by["Thumbs.db notes.ipynb"].problem is None
    assert "symbolic link" in by["dangling.ipynb"].problem
    assert "symbolic link" in by["gradebook-link.ipynb"].problem
    assert b"secret rows" not in by["gradebook-link.ipynb"].data
    assert "nested" in by["deep.ipynb"].problem
    assert by["a b.ipynb"].student != by["a_b.ipynb"].student


def test_a_file_over_the_size_limit_is_recorded_as_refused_never_as_empty(tmp_path, monkeypatch):
    from courseware.grading import intake

    monkeypatch.setattr(intake, "MAX_BYTES", 1000)
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "big.ipynb").write_bytes(NB[:100] + b" " * 5000)
    z = tmp_path / "z.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("huge.ipynb", b" " * 5000)
        zf.writestr("x" * 300 + ".ipynb", NB[:500])
    subs = collect(folder) + collect(z)
    assert len(subs) == 3
    for sub in subs:
        if sub.filename.endswith(("big.ipynb", "huge.ipynb")):
            assert "refused" in sub.problem and sub.data, sub
            assert b"5,100 bytes" in sub.data or b"5,000 bytes" in sub.data


def test_a_symlink_in_a_zip_is_recorded_not_followed(tmp_path):
    z = tmp_path / "z.zip"
    info = zipfile.ZipInfo("link.ipynb")
    info.external_attr = 0o120777 << 16
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr(info, "/etc/passwd")
    [sub] = collect(z)
    assert "symbolic link" in sub.problem
