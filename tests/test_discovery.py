"""Which files genlint lints: folder walking, skipped folders, .gitignore, --exclude, explicit files."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from genlint.cli import main
from genlint.discovery import MissingPathError, discover

ENDLESS_FIT = """\
def batches():
    while True:
        yield 1, 2


model.fit(batches(), epochs=3)
"""


def make(root: Path, *relatives: str, text: str = "x = 1\n") -> None:
    for relative in relatives:
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def found(root: Path, paths: list[str] | None = None, excludes: tuple[str, ...] = ()) -> list[str]:
    """Discovered files as posix paths relative to `root`."""
    files = discover(paths if paths is not None else [str(root)], excludes)
    return [file.relative_to(root).as_posix() for file in files]


def test_walks_folders_for_python_files_only(tmp_path: Path) -> None:
    make(tmp_path, "train.py", "pkg/data.py", "pkg/deep/er/model.py", "notes.txt", "pkg/script.pyc", "README.md")

    assert found(tmp_path) == ["pkg/data.py", "pkg/deep/er/model.py", "train.py"]


@pytest.mark.parametrize("folder", [".git", ".venv", "venv", "site-packages", "build", "dist", "__pycache__"])
def test_skips_tool_and_environment_folders(tmp_path: Path, folder: str) -> None:
    make(tmp_path, "train.py", f"{folder}/inside.py", f"pkg/{folder}/nested.py")

    assert found(tmp_path) == ["train.py"]


def test_skips_egg_info_folders_at_any_depth(tmp_path: Path) -> None:
    make(tmp_path, "train.py", "genlint.egg-info/setup.py", "src/pkg/deep/tool.egg-info/inside.py", "src/pkg/ok.py")

    assert found(tmp_path) == ["src/pkg/ok.py", "train.py"]


def test_files_named_like_skipped_folders_are_linted(tmp_path: Path) -> None:
    # Only folders are skipped by name: the files' names are compared whole, suffix included.
    make(tmp_path, "build.py", "pkg/dist.py", "pkg/venv.ipynb", "pkg/tool.egg-info.py", "pkg/build/out.py")

    assert found(tmp_path) == ["build.py", "pkg/dist.py", "pkg/tool.egg-info.py", "pkg/venv.ipynb"]


def test_a_skipped_folder_named_explicitly_is_walked(tmp_path: Path) -> None:
    make(tmp_path, "build/gen.py", "build/__pycache__/cached.py", "build/dist/out.py")

    assert found(tmp_path, [str(tmp_path / "build")]) == ["build/gen.py"]


def test_skips_any_folder_that_is_a_virtual_environment(tmp_path: Path) -> None:
    make(tmp_path, "train.py", "py311/lib/python3.11/site.py", "tools/helper.py")
    (tmp_path / "py311" / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")

    # `tools` has no pyvenv.cfg: it is the marker file, not an unusual name, that makes `py311` skipped.
    assert found(tmp_path) == ["tools/helper.py", "train.py"]


def test_honours_gitignore_in_the_linted_folder(tmp_path: Path) -> None:
    make(tmp_path, "train.py", "generated_model.py", "experiments/run.py", "keep/generated_ok.py")
    (tmp_path / ".gitignore").write_text("/generated_*.py\nexperiments/\n", encoding="utf-8")

    assert found(tmp_path) == ["keep/generated_ok.py", "train.py"]


def test_nested_gitignore_applies_to_its_own_folder_only(tmp_path: Path) -> None:
    make(tmp_path, "scratch.py", "pkg/scratch.py", "pkg/train.py")
    (tmp_path / "pkg" / ".gitignore").write_text("scratch.py\n", encoding="utf-8")

    assert found(tmp_path) == ["pkg/train.py", "scratch.py"]


def test_nested_gitignore_can_re_include_what_a_parent_ignores(tmp_path: Path) -> None:
    # As in git: the nearest .gitignore with a matching pattern decides.
    (tmp_path / ".git").mkdir()
    make(tmp_path, "pkg/generated_keep.py", "pkg/generated_drop.py", "generated_top.py")
    (tmp_path / ".gitignore").write_text("generated_*.py\n", encoding="utf-8")
    (tmp_path / "pkg" / ".gitignore").write_text("!generated_keep.py\n", encoding="utf-8")

    assert found(tmp_path) == ["pkg/generated_keep.py"]


def test_nested_gitignore_re_includes_through_folders_without_their_own(tmp_path: Path) -> None:
    # `a` has no .gitignore and no pattern applies there: its entries are still judged by the .gitignore above,
    # and the one two levels down still re-includes a file, read relative to its own folder.
    (tmp_path / ".git").mkdir()
    make(tmp_path, "a/generated_x.py", "a/b/generated_keep.py", "a/b/generated_drop.py", "a/b/train.py")
    (tmp_path / ".gitignore").write_text("generated_*.py\n", encoding="utf-8")
    (tmp_path / "a" / "b" / ".gitignore").write_text("!/generated_keep.py\n", encoding="utf-8")

    assert found(tmp_path) == ["a/b/generated_keep.py", "a/b/train.py"]
    assert found(tmp_path, [str(tmp_path / "a")]) == ["a/b/generated_keep.py", "a/b/train.py"]


def test_gitignore_deep_below_plain_folders_applies_to_its_own_folder(tmp_path: Path) -> None:
    make(tmp_path, "train.py", "a/b/c/scratch.py", "a/b/c/model.py", "a/scratch.py")
    (tmp_path / "a" / "b" / "c" / ".gitignore").write_text("scratch.py\n", encoding="utf-8")

    assert found(tmp_path) == ["a/b/c/model.py", "a/scratch.py", "train.py"]


def test_honours_gitignore_in_the_repository_root_above_the_linted_folder(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("legacy/\n*_backup.py\n", encoding="utf-8")
    make(tmp_path, "project/train.py", "project/legacy/old.py", "project/train_backup.py")

    assert found(tmp_path, [str(tmp_path / "project")]) == ["project/train.py"]


def test_gitignore_above_the_linted_folder_is_ignored_outside_a_repository(tmp_path: Path) -> None:
    # Without a .git folder, the .gitignore above belongs to no repository that holds the linted folder.
    (tmp_path / ".gitignore").write_text("*_backup.py\n", encoding="utf-8")
    make(tmp_path, "project/train.py", "project/train_backup.py")

    assert found(tmp_path, [str(tmp_path / "project")]) == ["project/train.py", "project/train_backup.py"]


def test_exclude_adds_patterns_and_is_repeatable(tmp_path: Path) -> None:
    make(tmp_path, "train.py", "notebooks/explore.py", "pkg/legacy_io.py", "pkg/model.py")

    assert found(tmp_path, excludes=("notebooks/",)) == ["pkg/legacy_io.py", "pkg/model.py", "train.py"]
    assert found(tmp_path, excludes=("notebooks/", "legacy_*.py")) == ["pkg/model.py", "train.py"]


def test_exclude_repeated_on_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make(tmp_path, "train.py", "notebooks/explore.py", "pkg/legacy_io.py", text=ENDLESS_FIT)
    monkeypatch.chdir(tmp_path)
    stdout = io.StringIO()

    code = main(["--exclude", "notebooks", "--exclude", "legacy_*.py", "."], stdout=stdout, stderr=io.StringIO())

    assert code == 1
    assert [line.split(":")[0] for line in stdout.getvalue().splitlines()] == ["train.py"]


def test_anchored_exclude_matches_only_at_the_top(tmp_path: Path) -> None:
    make(tmp_path, "train.py", "pkg/train.py")

    assert found(tmp_path, excludes=("/train.py",)) == ["pkg/train.py"]


def test_exclude_may_name_a_path_from_the_working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make(tmp_path, "src/train.py", "src/legacy/old.py")
    monkeypatch.chdir(tmp_path)

    assert found(tmp_path, ["src"], excludes=("src/legacy",)) == ["src/train.py"]
    assert found(tmp_path, ["src"], excludes=("legacy",)) == ["src/train.py"]


def test_files_named_explicitly_are_always_linted(tmp_path: Path) -> None:
    make(tmp_path, "build/generated.py", "venv/lib/tool.py", "ignored.py", "script.txt")
    (tmp_path / ".gitignore").write_text("ignored.py\n", encoding="utf-8")
    named = ["build/generated.py", "venv/lib/tool.py", "ignored.py", "script.txt"]

    result = found(tmp_path, [str(tmp_path / name) for name in named], excludes=("*.py", "build/", "venv/"))

    assert result == ["build/generated.py", "ignored.py", "script.txt", "venv/lib/tool.py"]


def test_a_folder_named_explicitly_is_walked_even_when_gitignored(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("experiments/\n", encoding="utf-8")
    (tmp_path / "experiments" / ".gitignore").parent.mkdir()
    (tmp_path / "experiments" / ".gitignore").write_text("scratch.py\n", encoding="utf-8")
    make(tmp_path, "experiments/run.py", "experiments/scratch.py", "experiments/build/out.py")

    # The rules still apply below the named folder: its own .gitignore, and the skipped folders.
    assert found(tmp_path, [str(tmp_path / "experiments")]) == ["experiments/run.py"]
    assert found(tmp_path) == []


def test_a_folder_named_explicitly_is_walked_even_when_excluded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(tmp_path, "legacy/old.py", "legacy/tests/test_old.py", "train.py")
    monkeypatch.chdir(tmp_path)

    assert found(tmp_path, ["legacy"], excludes=("legacy", "tests/")) == ["legacy/old.py"]
    assert found(tmp_path, ["."], excludes=("legacy", "tests/")) == ["train.py"]


def test_order_is_sorted_whatever_the_order_of_the_arguments(tmp_path: Path) -> None:
    make(tmp_path, "b/z.py", "b/a.py", "a.py", "c.py")
    arguments = [str(tmp_path / "c.py"), str(tmp_path / "b"), str(tmp_path / "a.py")]

    assert found(tmp_path, arguments) == ["a.py", "b/a.py", "b/z.py", "c.py"]
    assert found(tmp_path, list(reversed(arguments))) == ["a.py", "b/a.py", "b/z.py", "c.py"]


def test_a_file_reached_twice_is_linted_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make(tmp_path, "pkg/train.py")
    monkeypatch.chdir(tmp_path)

    assert found(tmp_path, ["pkg", "pkg/train.py", "pkg/../pkg/train.py", "./pkg/train.py"]) == ["pkg/train.py"]


def test_missing_path_raises_with_its_name(tmp_path: Path) -> None:
    make(tmp_path, "train.py")

    with pytest.raises(MissingPathError, match="no_such_folder"):
        discover([str(tmp_path / "train.py"), str(tmp_path / "no_such_folder")])


def test_missing_path_is_a_usage_error_on_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make(tmp_path, "train.py", text=ENDLESS_FIT)
    monkeypatch.chdir(tmp_path)
    stdout, stderr = io.StringIO(), io.StringIO()

    code = main(["train.py", "missing_dir/train.py"], stdout=stdout, stderr=stderr)

    assert code == 2
    assert stderr.getvalue().count("\n") == 1
    assert "missing_dir/train.py" in stderr.getvalue()
    assert "Traceback" not in stderr.getvalue()
    assert stdout.getvalue() == ""


def test_symlinked_folders_are_not_followed(tmp_path: Path) -> None:
    make(tmp_path, "project/train.py", "elsewhere/secret.py")
    (tmp_path / "project" / "link").symlink_to(tmp_path / "elsewhere", target_is_directory=True)

    assert found(tmp_path, [str(tmp_path / "project")]) == ["project/train.py"]


def test_a_folder_symlink_loop_does_not_hang(tmp_path: Path) -> None:
    make(tmp_path, "project/pkg/train.py", text=ENDLESS_FIT)
    (tmp_path / "project" / "pkg" / "loop").symlink_to(tmp_path / "project", target_is_directory=True)

    # In a child process, so that a regression fails on the timeout instead of hanging the test run.
    completed = subprocess.run(
        [sys.executable, "-m", "genlint", "--output-format", "concise", "project"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert completed.returncode == 1, completed.stderr
    assert completed.stdout.splitlines() == [
        line for line in completed.stdout.splitlines() if line.startswith(f"project{os.sep}pkg{os.sep}train.py:")
    ]
    assert len(completed.stdout.splitlines()) == 1
    assert found(tmp_path, [str(tmp_path / "project")]) == ["project/pkg/train.py"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_a_named_pipe_in_a_folder_is_not_linted(tmp_path: Path) -> None:
    # Reading a pipe with no writer blocks for ever; a walk must not hand one to the linter.
    make(tmp_path, "train.py")
    os.mkfifo(tmp_path / "pipe.py")

    assert found(tmp_path) == ["train.py"]


def test_a_dangling_symlink_in_a_folder_is_still_linted(tmp_path: Path) -> None:
    # It is reported as a file that cannot be read, rather than silently dropped.
    make(tmp_path, "train.py")
    (tmp_path / "gone.py").symlink_to(tmp_path / "deleted.py")

    assert found(tmp_path) == ["gone.py", "train.py"]


def pathspec_loaded_after_discovery(folder: Path) -> bool:
    """Whether discovering the files below `folder`, in a fresh process, imports pathspec."""
    script = "import sys\nfrom genlint.discovery import discover\ndiscover(['.'])\nprint('pathspec' in sys.modules)"
    completed = subprocess.run(
        [sys.executable, "-c", script], cwd=folder, capture_output=True, text=True, timeout=120, check=True
    )
    return completed.stdout.strip() == "True"


def test_a_tree_without_patterns_or_gitignore_does_without_pathspec(tmp_path: Path) -> None:
    # The skipped folders are judged by name; pathspec is imported only for a .gitignore or an exclude pattern.
    (tmp_path / ".git").mkdir()  # the repository root: no .gitignore above it is read
    make(tmp_path, "train.py", "pkg/model.py", "build/out.py", "pkg/tool.egg-info/x.py")

    assert not pathspec_loaded_after_discovery(tmp_path)
    (tmp_path / "pkg" / ".gitignore").write_text("model.py\n", encoding="utf-8")
    assert pathspec_loaded_after_discovery(tmp_path)
