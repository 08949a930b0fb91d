"""Evaluation against gold annotations (see ``../shared/eval/FORMAT.md``)."""

from sitrep.eval.score import evaluate, norm

__all__ = ["evaluate", "norm"]
