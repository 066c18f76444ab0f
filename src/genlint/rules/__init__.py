"""The rule registry: the built-in rules, plus third-party rules from the `genlint.rules` entry points."""

from __future__ import annotations

import re
from importlib.metadata import entry_points

from genlint.rules.base import Rule
from genlint.rules.gen001_syntax_error import SyntaxErrorRule
from genlint.rules.gen002_invalid_suppression import InvalidSuppressionRule
from genlint.rules.gen003_unused_suppression import UnusedSuppressionRule
from genlint.rules.gen101_finite_generator import FiniteGeneratorRule
from genlint.rules.gen102_swallowed_exception import SwallowedExceptionRule
from genlint.rules.gen103_single_element_yield import SingleElementYieldRule
from genlint.rules.gen104_non_tuple_yield import NonTupleYieldRule
from genlint.rules.gen105_bad_yield_arity import BadYieldArityRule
from genlint.rules.gen106_stop_iteration_in_generator import StopIterationInGeneratorRule
from genlint.rules.gen107_unbatched_yield import UnbatchedYieldRule
from genlint.rules.gen108_shuffle_once import ShuffleOnceRule
from genlint.rules.gen201_missing_steps_per_epoch import MissingStepsPerEpochRule
from genlint.rules.gen202_missing_validation_steps import MissingValidationStepsRule
from genlint.rules.gen203_uncalled_generator_function import UncalledGeneratorFunctionRule
from genlint.rules.gen204_targets_with_generator import TargetsWithGeneratorRule
from genlint.rules.gen205_batch_size_with_generator import BatchSizeWithGeneratorRule
from genlint.rules.gen206_removed_worker_arguments import RemovedWorkerArgumentsRule
from genlint.rules.gen207_shared_generator_object import SharedGeneratorObjectRule
from genlint.rules.gen208_shuffle_ignored import ShuffleIgnoredRule
from genlint.rules.gen209_non_generator_iterator import NonGeneratorIteratorRule
from genlint.rules.gen301_float_steps import FloatStepsRule
from genlint.rules.gen302_steps_floor_with_partial_batch import StepsFloorWithPartialBatchRule
from genlint.rules.gen303_steps_count_samples import StepsCountSamplesRule
from genlint.rules.gen304_steps_from_other_dataset import StepsFromOtherDatasetRule
from genlint.rules.gen401_sequence_missing_len import SequenceMissingLenRule
from genlint.rules.gen402_sequence_missing_getitem import SequenceMissingGetitemRule
from genlint.rules.gen403_sequence_float_len import SequenceFloatLenRule
from genlint.rules.gen404_sequence_len_drops_remainder import SequenceLenDropsRemainderRule
from genlint.rules.gen405_sequence_getitem_structure import SequenceGetitemStructureRule
from genlint.rules.gen406_pydataset_missing_super_init import PydatasetMissingSuperInitRule
from genlint.rules.gen407_sequence_len_off_by_one import SequenceLenOffByOneRule
from genlint.rules.gen501_fit_generator import FitGeneratorRule
from genlint.rules.gen502_evaluate_or_predict_generator import EvaluateOrPredictGeneratorRule
from genlint.rules.gen503_from_generator_given_generator import FromGeneratorGivenGeneratorRule

BUILTIN_RULES: tuple[type[Rule], ...] = (
    SyntaxErrorRule,
    InvalidSuppressionRule,
    UnusedSuppressionRule,
    FiniteGeneratorRule,
    SwallowedExceptionRule,
    SingleElementYieldRule,
    NonTupleYieldRule,
    BadYieldArityRule,
    StopIterationInGeneratorRule,
    UnbatchedYieldRule,
    ShuffleOnceRule,
    MissingStepsPerEpochRule,
    MissingValidationStepsRule,
    UncalledGeneratorFunctionRule,
    TargetsWithGeneratorRule,
    BatchSizeWithGeneratorRule,
    RemovedWorkerArgumentsRule,
    SharedGeneratorObjectRule,
    ShuffleIgnoredRule,
    NonGeneratorIteratorRule,
    FloatStepsRule,
    StepsFloorWithPartialBatchRule,
    StepsCountSamplesRule,
    StepsFromOtherDatasetRule,
    SequenceMissingLenRule,
    SequenceMissingGetitemRule,
    SequenceFloatLenRule,
    SequenceLenDropsRemainderRule,
    SequenceGetitemStructureRule,
    PydatasetMissingSuperInitRule,
    SequenceLenOffByOneRule,
    FitGeneratorRule,
    EvaluateOrPredictGeneratorRule,
    FromGeneratorGivenGeneratorRule,
)
ENTRY_POINT_GROUP = "genlint.rules"
CODE_PATTERN = re.compile(r"^[A-Z]{2,}[0-9]{3}$")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class PluginError(Exception):
    """A third-party rule that does not follow the contract."""


def plugin_rules() -> tuple[type[Rule], ...]:
    """Rules registered by installed packages. Each entry point names a Rule subclass or a tuple of them."""
    found: list[type[Rule]] = []
    for entry_point in entry_points(group=ENTRY_POINT_GROUP):
        try:
            loaded = entry_point.load()
        except Exception as error:  # a broken plugin must not take genlint down with it
            raise PluginError(f"cannot load rule plugin {entry_point.name!r} ({entry_point.value}): {error}") from error
        candidates = loaded if isinstance(loaded, (tuple, list)) else (loaded,)
        for candidate in candidates:
            if not (isinstance(candidate, type) and issubclass(candidate, Rule)):
                raise PluginError(f"rule plugin {entry_point.name!r} gave {candidate!r}, not a genlint Rule class")
            found.append(candidate)
    return tuple(found)


def all_rules() -> tuple[type[Rule], ...]:
    """Built-in and plugin rules, checked for well-formed, unique codes and names."""
    rules = BUILTIN_RULES + plugin_rules()
    seen: dict[str, type[Rule]] = {}
    for rule in rules:
        for key, pattern in ((rule.code, CODE_PATTERN), (rule.name, NAME_PATTERN)):
            if not pattern.match(key):
                raise PluginError(f"rule {rule.__qualname__} has a malformed code or name: {key!r}")
            if key in seen and seen[key] is not rule:
                raise PluginError(f"rules {seen[key].__qualname__} and {rule.__qualname__} both use {key!r}")
            seen[key] = rule
    return rules


__all__ = ["BUILTIN_RULES", "ENTRY_POINT_GROUP", "PluginError", "Rule", "all_rules", "plugin_rules"]
