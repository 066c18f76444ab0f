"""The built-in rules, by code, as a run knows them before it imports any rule module: code, name, on
by default, fix safety and class. Each lives in the module named by its code and name (GEN101,
finite-generator: gen101_finite_generator.py).

Generated from the rule modules by `python -m genlint.docs`, which `--check`s it in CI: do not edit.
"""

BUILTIN: tuple[tuple[str, str, bool, str, str], ...] = (
    ("GEN001", "syntax-error", True, "none", "SyntaxErrorRule"),
    ("GEN002", "invalid-suppression", True, "none", "InvalidSuppressionRule"),
    ("GEN003", "unused-suppression", False, "none", "UnusedSuppressionRule"),
    ("GEN101", "finite-generator", True, "unsafe", "FiniteGeneratorRule"),
    ("GEN102", "swallowed-exception", True, "none", "SwallowedExceptionRule"),
    ("GEN103", "single-element-yield", True, "none", "SingleElementYieldRule"),
    ("GEN104", "non-tuple-yield", True, "safe", "NonTupleYieldRule"),
    ("GEN105", "bad-yield-arity", True, "none", "BadYieldArityRule"),
    ("GEN106", "stop-iteration-in-generator", True, "safe", "StopIterationInGeneratorRule"),
    ("GEN107", "unbatched-yield", True, "none", "UnbatchedYieldRule"),
    ("GEN108", "shuffle-once", False, "unsafe", "ShuffleOnceRule"),
    ("GEN201", "missing-steps-per-epoch", True, "none", "MissingStepsPerEpochRule"),
    ("GEN202", "missing-validation-steps", True, "none", "MissingValidationStepsRule"),
    ("GEN203", "uncalled-generator-function", True, "safe", "UncalledGeneratorFunctionRule"),
    ("GEN204", "targets-with-generator", True, "none", "TargetsWithGeneratorRule"),
    ("GEN205", "batch-size-with-generator", True, "safe", "BatchSizeWithGeneratorRule"),
    ("GEN206", "removed-worker-arguments", True, "unsafe", "RemovedWorkerArgumentsRule"),
    ("GEN207", "shared-generator-object", True, "none", "SharedGeneratorObjectRule"),
    ("GEN208", "shuffle-ignored", True, "safe", "ShuffleIgnoredRule"),
    ("GEN209", "non-generator-iterator", True, "unsafe", "NonGeneratorIteratorRule"),
    ("GEN301", "float-steps", True, "safe", "FloatStepsRule"),
    ("GEN302", "steps-floor-with-partial-batch", True, "unsafe", "StepsFloorWithPartialBatchRule"),
    ("GEN303", "steps-count-samples", True, "none", "StepsCountSamplesRule"),
    ("GEN304", "steps-from-other-dataset", True, "none", "StepsFromOtherDatasetRule"),
    ("GEN401", "sequence-missing-len", True, "none", "SequenceMissingLenRule"),
    ("GEN402", "sequence-missing-getitem", True, "none", "SequenceMissingGetitemRule"),
    ("GEN403", "sequence-float-len", True, "safe", "SequenceFloatLenRule"),
    ("GEN404", "sequence-len-drops-remainder", True, "unsafe", "SequenceLenDropsRemainderRule"),
    ("GEN405", "sequence-getitem-structure", True, "none", "SequenceGetitemStructureRule"),
    ("GEN406", "pydataset-missing-super-init", True, "safe", "PydatasetMissingSuperInitRule"),
    ("GEN407", "sequence-len-off-by-one", True, "safe", "SequenceLenOffByOneRule"),
    ("GEN501", "fit-generator", True, "safe", "FitGeneratorRule"),
    ("GEN502", "evaluate-or-predict-generator", True, "safe", "EvaluateOrPredictGeneratorRule"),
    ("GEN503", "from-generator-given-generator", True, "safe", "FromGeneratorGivenGeneratorRule"),
)
