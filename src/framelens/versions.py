"""Versions of the installed packages whose data decide framelens's scores.

This module owns :func:`framelens_version` (the one way framelens's modules read their own
version) and :data:`SCORING_PACKAGES` with :func:`scoring_versions`. TextBlob ships the
Pattern lexicon that :mod:`framelens.pattern` reads, vaderSentiment the VADER lexicon that
:mod:`framelens.vader` reads, and nupunkt the sentence model that :mod:`framelens.segment`
splits with: a new release of any of them can change scores without a line of framelens
changing. So the scores cache key (:func:`framelens.cache_key`, through
:func:`framelens.scores.code_fingerprint`) and ``framelens build``'s dependency hash both
include these versions, and an upgrade starts a fresh cache and rebuilds the reports
instead of mixing old and new scores. Only the standard library is imported here, so the
build can ask without loading the packages themselves.
"""

from __future__ import annotations

import importlib.metadata

__all__ = ["SCORING_PACKAGES", "framelens_version", "scoring_versions"]

#: the distributions whose lexicons and models the scores are computed from
SCORING_PACKAGES: tuple[str, ...] = ("textblob", "vaderSentiment", "nupunkt")


def framelens_version() -> str:
    """framelens's own version (``framelens.__version__``), read when asked so that this
    module imports nothing of framelens at load time.

    Examples
    --------
    >>> framelens_version().count(".") >= 1
    True
    """
    from framelens import __version__

    return __version__


def scoring_versions() -> dict[str, str]:
    """The installed version of each of :data:`SCORING_PACKAGES`.

    Returns
    -------
    dict from distribution name to its version, in :data:`SCORING_PACKAGES` order;
    ``"not installed"`` for a distribution that is absent (scoring would then fail on
    import, but a key can still be computed).

    Examples
    --------
    >>> sorted(scoring_versions())
    ['nupunkt', 'textblob', 'vaderSentiment']
    >>> scoring_versions()["vaderSentiment"]  # doctest: +SKIP
    '3.3.2'
    """
    versions = {}
    for name in SCORING_PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions
