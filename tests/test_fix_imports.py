"""Where a fix that calls `math.ceil` puts the `import math` it needs, and when it offers no fix at all.

Each test fixes a small `train.py` whose `steps_per_epoch=len(x_train) / 32` GEN301 rewrites into
`math.ceil(len(x_train) / 32)`, and compares the whole file.
"""

from __future__ import annotations

from pathlib import Path

from genlint.engine import lint_files
from genlint.fixes import fix_result
from genlint.rules.edits import math_import_edits
from genlint.rules.gen301_float_steps import FloatStepsRule

CALL = "model.fit(batches, steps_per_epoch=len(x_train) / 32, epochs=3)\n"
FIXED_CALL = "model.fit(batches, steps_per_epoch=math.ceil(len(x_train) / 32), epochs=3)\n"


def fixed(tmp_path: Path, source: str, newline: str = "\n") -> str:
    """`train.py` after `genlint --fix`, written with `newline` line endings."""
    path = tmp_path / "train.py"
    path.write_bytes(source.replace("\n", newline).encode("utf-8"))
    result = lint_files([path], (FloatStepsRule,))
    assert [diagnostic.code for diagnostic in result.diagnostics] == ["GEN301"] * source.count("/ 32")
    changes = fix_result(result, rules=(FloatStepsRule,))
    assert [change.refused for change in changes if change.refused] == []
    return changes[0].fixed if changes else path.read_bytes().decode("utf-8")


def test_no_imports_at_all(tmp_path: Path) -> None:
    assert fixed(tmp_path, "EPOCHS = 3\n" + CALL) == "import math\n\nEPOCHS = 3\n" + FIXED_CALL


def test_after_the_module_docstring(tmp_path: Path) -> None:
    source = '"""Train the model."""\n\nEPOCHS = 3\n' + CALL
    assert fixed(tmp_path, source) == '"""Train the model."""\n\nimport math\n\nEPOCHS = 3\n' + FIXED_CALL


def test_a_blank_line_separates_it_from_a_docstring_right_above(tmp_path: Path) -> None:
    source = '"""Train\nthe model."""\nEPOCHS = 3\n' + CALL
    assert fixed(tmp_path, source) == '"""Train\nthe model."""\n\nimport math\n\nEPOCHS = 3\n' + FIXED_CALL


def test_after_future_imports(tmp_path: Path) -> None:
    source = '"""Train."""\nfrom __future__ import annotations\n\nimport os\n\n' + CALL
    expected = '"""Train."""\nfrom __future__ import annotations\n\nimport math\nimport os\n\n' + FIXED_CALL
    assert fixed(tmp_path, source) == expected


def test_future_import_without_other_imports(tmp_path: Path) -> None:
    source = "from __future__ import annotations\n" + CALL
    assert fixed(tmp_path, source) == "from __future__ import annotations\n\nimport math\n\n" + FIXED_CALL


def test_below_shebang_and_encoding_comments(tmp_path: Path) -> None:
    header = "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n"
    assert fixed(tmp_path, header + CALL) == header + "import math\n\n" + FIXED_CALL


def test_above_the_comment_that_introduces_the_first_statement(tmp_path: Path) -> None:
    source = "#!/usr/bin/env python\n\n# the training run\n" + CALL
    assert fixed(tmp_path, source) == "#!/usr/bin/env python\n\nimport math\n\n# the training run\n" + FIXED_CALL


def test_above_the_decorators_of_the_first_statement(tmp_path: Path) -> None:
    source = "@register\ndef train(model, batches, x_train):\n    " + CALL
    expected = "import math\n\n@register\ndef train(model, batches, x_train):\n    " + FIXED_CALL
    assert fixed(tmp_path, source) == expected


def test_in_alphabetical_place_in_the_standard_library_block(tmp_path: Path) -> None:
    source = "import json\nimport os\nfrom pathlib import Path\n\nimport numpy as np\n\n" + CALL
    expected = "import json\nimport math\nimport os\nfrom pathlib import Path\n\nimport numpy as np\n\n" + FIXED_CALL
    assert fixed(tmp_path, source) == expected


def test_at_the_end_of_the_standard_library_block(tmp_path: Path) -> None:
    source = "import functools\nimport itertools\n\nimport keras\n\n" + CALL
    expected = "import functools\nimport itertools\nimport math\n\nimport keras\n\n" + FIXED_CALL
    assert fixed(tmp_path, source) == expected


def test_a_group_of_its_own_before_third_party_imports(tmp_path: Path) -> None:
    source = '"""Train."""\n\n# third-party\nimport keras\nimport numpy as np\n\n' + CALL
    expected = '"""Train."""\n\nimport math\n\n# third-party\nimport keras\nimport numpy as np\n\n' + FIXED_CALL
    assert fixed(tmp_path, source) == expected


def test_before_standard_library_from_imports(tmp_path: Path) -> None:
    source = "from pathlib import Path\n\nimport keras\n\n" + CALL
    expected = "import math\nfrom pathlib import Path\n\nimport keras\n\n" + FIXED_CALL
    assert fixed(tmp_path, source) == expected


def test_from_math_import_ceil_does_not_bind_math(tmp_path: Path) -> None:
    source = "from math import ceil\n\n" + CALL
    assert fixed(tmp_path, source) == "import math\nfrom math import ceil\n\n" + FIXED_CALL


def test_nothing_is_added_when_math_is_imported(tmp_path: Path) -> None:
    source = "import math\n\nimport keras\n\n" + CALL
    assert fixed(tmp_path, source) == "import math\n\nimport keras\n\n" + FIXED_CALL


def test_a_module_import_below_a_function_serves_the_function(tmp_path: Path) -> None:
    source = "def train(model, batches, x_train):\n    " + CALL + "\n\nimport math\n"
    assert fixed(tmp_path, source) == "def train(model, batches, x_train):\n    " + FIXED_CALL + "\n\nimport math\n"


def test_a_module_import_below_module_level_code_comes_too_late(tmp_path: Path) -> None:
    source = "import keras\n\n" + CALL + "\nimport math\n"
    assert fixed(tmp_path, source) == "import math\n\nimport keras\n\n" + FIXED_CALL + "\nimport math\n"


def test_a_local_import_of_math_is_enough_there(tmp_path: Path) -> None:
    source = "def train(model, batches, x_train):\n    import math\n\n    " + CALL
    assert fixed(tmp_path, source) == "def train(model, batches, x_train):\n    import math\n\n    " + FIXED_CALL


def test_crlf_file_gets_crlf_lines(tmp_path: Path) -> None:
    source = '"""Train."""\n\nimport os\n\n' + CALL
    expected = '"""Train."""\n\nimport math\nimport os\n\n' + FIXED_CALL
    assert fixed(tmp_path, source, "\r\n") == expected.replace("\n", "\r\n")


def test_crlf_file_without_imports(tmp_path: Path) -> None:
    assert fixed(tmp_path, CALL, "\r\n") == ("import math\n\n" + FIXED_CALL).replace("\n", "\r\n")


def test_no_fix_when_the_module_binds_math_to_something_else(tmp_path: Path) -> None:
    source = "import numpy as math\n\n" + CALL
    assert fixed(tmp_path, source) == source


def test_no_fix_when_a_parameter_shadows_math(tmp_path: Path) -> None:
    source = "def train(model, batches, x_train, math):\n    " + CALL
    assert fixed(tmp_path, source) == source


def test_a_shadowed_math_still_allows_a_fix_that_needs_no_import(tmp_path: Path) -> None:
    source = "import numpy as np\n\nmath = None\nmodel.fit(batches, steps_per_epoch=np.ceil(len(x_train) / 32))\n"
    expected = (
        "import numpy as np\n\nmath = None\nmodel.fit(batches, steps_per_epoch=int(np.ceil(len(x_train) / 32)))\n"
    )
    assert fixed(tmp_path, source) == expected


def test_two_fixes_that_each_need_the_import_add_it_once(tmp_path: Path) -> None:
    """Both fixes insert `import math` at one place, so the second waits for the next round, whose re-lint finds
    the import present and offers the rewrite alone."""
    source = "import keras\n\n" + CALL + "model.evaluate(batches, steps=len(x_test) / 32)\n"
    expected = (
        "import math\n\nimport keras\n\n" + FIXED_CALL + "model.evaluate(batches, steps=math.ceil(len(x_test) / 32))\n"
    )
    path = tmp_path / "train.py"
    path.write_text(source, encoding="utf-8")
    result = lint_files([path], (FloatStepsRule,))
    assert len(result.diagnostics) == 2
    assert all(diagnostic.fix is not None for diagnostic in result.diagnostics)
    [change] = fix_result(result, rules=(FloatStepsRule,))
    assert (change.fixed, change.applied) == (expected, 2)


def test_math_import_edits_reports_each_case(tmp_path: Path) -> None:
    """() when `math` is the module already, one insertion when it is unbound, None when it is something else."""
    from genlint.analysis.project import parse_module

    module = parse_module("import math\n\ndef f(math):\n    return math\n\nx = 1 / 2\n", str(tmp_path / "m.py"))
    function_return = module.body[1].body[0].value
    module_value = module.body[2].value
    assert math_import_edits(module_value) == ()
    assert math_import_edits(function_return) is None
    unbound = parse_module("x = 1 / 2\n", str(tmp_path / "n.py"))
    [edit] = math_import_edits(unbound.body[0].value) or ()
    assert (edit.line, edit.column, edit.replacement) == (1, 1, "import math\n\n")


def test_no_fix_when_the_import_would_come_after_the_code_on_its_line(tmp_path: Path) -> None:
    source = "import itertools; " + CALL
    assert fixed(tmp_path, source) == source
