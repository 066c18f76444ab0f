"""Third-party rules, registered under the `genlint.rules` entry point group, run beside the built-in ones.

Each test "installs" a plugin for a child process only: a module and a `*.dist-info` folder with METADATA
and entry_points.txt, on PYTHONPATH, which is all that importlib.metadata looks for.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from genlint.engine import lint_files
from genlint.rules import ENTRY_POINT_GROUP, PluginError
from genlint.rules.base import Rule, Severity

PLUGIN_MODULE = '''\
from __future__ import annotations

from genlint.rules.base import Rule, Severity


class EveryConsumerRule(Rule):
    """
    ## What it does
    Reports every `fit` / `evaluate` / `predict` call, to show that plugin rules run.
    """

    code = "{code}"
    name = "{name}"
    severity = Severity.INFO
    message = "`{{method}}` call seen by a plugin"

    def check(self, model, context):
        for consumer in model.consumers:
            context.report(consumer.node, method=consumer.method)
'''
TRAINING_SCRIPT = """\
def batches():
    while True:
        yield 1, 2


model.fit(batches(), epochs=3)
model.evaluate(batches(), steps=5)
"""


def install_plugin(site: Path, distribution: str, entry_points: dict[str, str], modules: dict[str, str]) -> None:
    site.mkdir(parents=True, exist_ok=True)
    for module, source in modules.items():
        (site / f"{module}.py").write_text(source, encoding="utf-8")
    dist_info = site / f"{distribution}-1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {distribution}\nVersion: 1.0\n", encoding="utf-8"
    )
    lines = [f"[{ENTRY_POINT_GROUP}]", *(f"{name} = {target}" for name, target in entry_points.items())]
    (dist_info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def run_genlint(tmp_path: Path, site: Path) -> subprocess.CompletedProcess[str]:
    (tmp_path / "train.py").write_text(TRAINING_SCRIPT, encoding="utf-8")
    environment = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run(
        [sys.executable, "-m", "genlint", "--output-format", "concise", "train.py"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_plugin_rule_reports_beside_the_built_in_rules(tmp_path: Path) -> None:
    site = tmp_path / "site"
    install_plugin(
        site,
        "genlint_xyz",
        {"xyz": "genlint_xyz:EveryConsumerRule"},
        {"genlint_xyz": PLUGIN_MODULE.format(code="XYZ100", name="every-consumer")},
    )

    completed = run_genlint(tmp_path, site)

    assert completed.returncode == 1, completed.stderr
    assert completed.stderr == ""
    lines = completed.stdout.splitlines()
    assert "train.py:6:1: XYZ100 `fit` call seen by a plugin" in lines
    assert "train.py:7:1: XYZ100 `evaluate` call seen by a plugin" in lines
    assert any(line.startswith("train.py:6:1: GEN201 ") for line in lines), completed.stdout


def test_without_the_plugin_its_rule_does_not_run(tmp_path: Path) -> None:
    # The control for the test above: the XYZ100 lines come from the installed entry point.
    completed = run_genlint(tmp_path, tmp_path / "empty_site")

    assert completed.returncode == 1, completed.stderr
    assert "XYZ100" not in completed.stdout
    assert "GEN201" in completed.stdout


def test_plugin_that_fails_to_import_is_a_one_line_error(tmp_path: Path) -> None:
    site = tmp_path / "site"
    install_plugin(
        site,
        "genlint_broken",
        {"broken": "genlint_broken:SomeRule"},
        {"genlint_broken": "import module_that_is_not_installed\n"},
    )

    completed = run_genlint(tmp_path, site)

    assert completed.returncode == 2
    assert completed.stdout == ""
    [message] = completed.stderr.splitlines()
    assert "'broken'" in message
    assert "genlint_broken:SomeRule" in message
    assert "module_that_is_not_installed" in message
    assert "Traceback" not in completed.stderr


def test_plugin_import_error_spanning_lines_is_still_one_line(tmp_path: Path) -> None:
    site = tmp_path / "site"
    install_plugin(
        site,
        "genlint_chatty",
        {"chatty": "genlint_chatty:SomeRule"},
        {"genlint_chatty": 'raise ImportError("needs tensorflow\\ninstall it with pip")\n'},
    )

    completed = run_genlint(tmp_path, site)

    assert completed.returncode == 2
    [message] = completed.stderr.splitlines()
    assert "'chatty'" in message
    assert "needs tensorflow install it with pip" in message


def test_plugin_code_that_collides_with_a_built_in_code_is_an_error(tmp_path: Path) -> None:
    site = tmp_path / "site"
    install_plugin(
        site,
        "genlint_clash",
        {"clash": "genlint_clash:EveryConsumerRule"},
        {"genlint_clash": PLUGIN_MODULE.format(code="GEN201", name="every-consumer")},
    )

    completed = run_genlint(tmp_path, site)

    assert completed.returncode == 2
    assert completed.stdout == ""
    [message] = completed.stderr.splitlines()
    assert "'GEN201'" in message
    assert "EveryConsumerRule" in message
    assert "Traceback" not in completed.stderr


def test_plugin_entry_point_that_is_not_a_rule_is_an_error(tmp_path: Path) -> None:
    site = tmp_path / "site"
    install_plugin(site, "genlint_odd", {"odd": "genlint_odd:NOT_A_RULE"}, {"genlint_odd": "NOT_A_RULE = 42\n"})

    completed = run_genlint(tmp_path, site)

    assert completed.returncode == 2
    [message] = completed.stderr.splitlines()
    assert "'odd'" in message
    assert "not a genlint Rule class" in message


def test_rule_that_cannot_be_created_is_a_plugin_error(tmp_path: Path) -> None:
    class NeedsSettings(Rule):
        code = "XYZ200"
        name = "needs-settings"
        severity = Severity.INFO
        message = "never reported"

        def __init__(self) -> None:
            raise RuntimeError("no settings file")

    train = tmp_path / "train.py"
    train.write_text(TRAINING_SCRIPT, encoding="utf-8")

    with pytest.raises(PluginError, match=r"NeedsSettings .*no settings file"):
        lint_files([train], rules=(NeedsSettings,))
