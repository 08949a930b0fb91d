"""One ``Settings`` object for a run, built once when the run starts.

Layers, each overriding the one before: the defaults below, then an optional config
file (``--config FILE``, YAML or TOML, unknown keys rejected), then the environment
(``SITREP_*`` variables), then CLI flags.  :func:`build_settings` is the only place in
sitrep that reads the environment; everything else receives the ``Settings`` it was
given (``run_ingest`` -> batches -> worker processes and Dask tasks ->
``ExtractionContext.settings`` -> every extractor).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any


class SettingsError(ValueError):
    """A config file, environment variable or flag with a bad key or value; the message names it."""


@dataclass(frozen=True, slots=True)
class Settings:
    max_document_bytes: int = 5_000_000  # largest input file / document accepted
    max_mentions_per_document: int = 5_000
    max_line_bytes: int = 5_000_000  # one JSONL line
    max_analysis_chars: int = 200_000  # text handed to the parser
    max_name_chars: int = 200  # longer "names" are not entities
    max_html_elements: int = 30_000  # tags + entity references of a page given to trafilatura; more: fallback
    batch_size: int = 32  # documents per batch (one transaction each)
    max_batch_chars: int = 2_000_000  # characters of text per batch, so memory is bounded by size too
    document_time_budget_s: float = 60.0  # extraction time per document; past it, what was found is kept
    workers: int = 1  # analysis processes (``--workers``)
    near_duplicate_threshold: int = 6  # max Hamming distance of 64-bit simhashes
    who: str = ""  # the analyst recorded with each decision (``--who``); empty: the OS user
    gazetteer: str = ""  # a folder of the team's own actors.yaml / places.tsv (``--gazetteer DIR``); empty: none
    blas_matmul: int = 1  # the model's matrix products through NumPy's BLAS, one thread (0: thinc's blis)
    builtin_actors: int = 1  # 0: the built-in actors cut to global bodies (an evaluation ablation, ``eval --no-builtin-actors``)


# environment variable -> Settings field
ENVIRONMENT: dict[str, str] = {
    "SITREP_MAX_DOCUMENT_BYTES": "max_document_bytes",
    "SITREP_MAX_MENTIONS": "max_mentions_per_document",
    "SITREP_MAX_LINE_BYTES": "max_line_bytes",
    "SITREP_MAX_ANALYSIS_CHARS": "max_analysis_chars",
    "SITREP_MAX_NAME_CHARS": "max_name_chars",
    "SITREP_MAX_HTML_ELEMENTS": "max_html_elements",
    "SITREP_BATCH_SIZE": "batch_size",
    "SITREP_MAX_BATCH_CHARS": "max_batch_chars",
    "SITREP_DOCUMENT_TIME_BUDGET": "document_time_budget_s",
    "SITREP_WORKERS": "workers",
    "SITREP_NEAR_DUPLICATE_THRESHOLD": "near_duplicate_threshold",
    "SITREP_WHO": "who",
    "SITREP_GAZETTEER": "gazetteer",
    "SITREP_BLAS_MATMUL": "blas_matmul",
}
ENV_OF: dict[str, str] = {name: env for env, name in ENVIRONMENT.items()}
_FIELDS: dict[str, Any] = {f.name: f for f in fields(Settings)}
_MINIMUM: dict[str, float] = {"near_duplicate_threshold": 0, "document_time_budget_s": 0, "blas_matmul": 0,
                              "builtin_actors": 0}
DB_ENV = "SITREP_DB"


def setting_name(name: str) -> str:
    """How a user sets ``name``: the field and its environment variable, for messages."""
    env = ENV_OF.get(name)
    return f"{name} ({env})" if env else name


def _coerce(name: str, value: Any, where: str) -> Any:
    kind = type(getattr(Settings(), name))
    if kind is str:
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise SettingsError(f"{where}: '{name}' must be text, not {value!r}")
        return str(value).strip()
    if isinstance(value, bool) or (isinstance(value, str) and not value.strip()):
        raise SettingsError(f"{where}: '{name}' must be a number, not {value!r}")
    try:
        number = kind(value) if not isinstance(value, str) else kind(value.strip().replace("_", ""))
    except (TypeError, ValueError):
        raise SettingsError(f"{where}: '{name}' must be {'an integer' if kind is int else 'a number'}, "
                            f"not {value!r}") from None
    if kind is int and isinstance(value, float) and value != int(value):
        raise SettingsError(f"{where}: '{name}' must be an integer, not {value!r}")
    if number < _MINIMUM.get(name, 1):
        raise SettingsError(f"{where}: '{name}' must be at least {_MINIMUM.get(name, 1)}, not {value!r}")
    return number


def _apply(settings: Settings, values: Mapping[str, Any], where: str) -> Settings:
    changes: dict[str, Any] = {}
    for key, value in values.items():
        if key not in _FIELDS:
            known = ", ".join(sorted(_FIELDS))
            raise SettingsError(f"{where}: unknown setting '{key}' (known: {known})")
        if value is not None:
            changes[key] = _coerce(key, value, where)
    return replace(settings, **changes) if changes else settings


def load_config_file(path: str | Path) -> dict[str, Any]:
    """Read a YAML (``.yaml``/``.yml``) or TOML (``.toml``) settings file into a flat mapping."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read the config file ({exc.strerror or exc})") from None
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            loaded: Any = tomllib.loads(data.decode("utf-8"))
        elif suffix in (".yaml", ".yml"):
            import yaml

            loaded = yaml.safe_load(data.decode("utf-8"))
        else:
            raise SettingsError(f"{path}: config files are .yaml, .yml or .toml")
    except SettingsError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parse error becomes one message
        raise SettingsError(f"{path}: not valid {suffix.lstrip('.').upper()}: {exc}") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise SettingsError(f"{path}: must be a mapping of setting names to values")
    section = loaded.get("sitrep") if set(loaded) == {"sitrep"} else loaded  # optional [sitrep] table
    if not isinstance(section, dict):
        raise SettingsError(f"{path}: 'sitrep' must be a mapping of setting names to values")
    return dict(section)


def build_settings(config_file: str | Path | None = None, env: Mapping[str, str] | None = None,
                   **flags: Any) -> Settings:
    """Defaults, then ``config_file``, then the environment, then ``flags`` (None = not given)."""
    settings = Settings()
    if config_file is not None:
        values = load_config_file(config_file)
        if isinstance(values.get("gazetteer"), str) and values["gazetteer"].strip():  # relative to the file
            values["gazetteer"] = str(Path(config_file).parent / Path(values["gazetteer"].strip()).expanduser())
        settings = _apply(settings, values, str(config_file))
    environ = os.environ if env is None else env
    from_env = {name: environ[var] for var, name in ENVIRONMENT.items() if var in environ}
    for name, value in from_env.items():
        settings = _apply(settings, {name: value}, f"environment variable {ENV_OF[name]}")
    settings = _apply(settings, {**GLOBAL_FLAGS, **{k: v for k, v in flags.items() if v is not None}}, "command line")
    return _checked_gazetteer(settings)


# flags given before the command (``sitrep --gazetteer DIR ingest ...``), set by the CLI's callback
GLOBAL_FLAGS: dict[str, Any] = {}


def _checked_gazetteer(settings: Settings) -> Settings:
    """An absolute gazetteer path (workers may run elsewhere), its files validated now: a bad key is a
    usage error naming the file, the line and the key before anything is read."""
    if not settings.gazetteer:
        return settings
    from sitrep.data import load_gazetteer
    from sitrep.data.loader import DataFileError

    folder = str(Path(settings.gazetteer).expanduser().resolve())
    try:
        load_gazetteer(folder)
    except DataFileError as exc:
        raise SettingsError(f"gazetteer: {exc}") from None
    return replace(settings, gazetteer=folder)


def analyst(settings: Settings) -> str:
    """Who makes a decision: the ``who`` setting, else the operating-system user."""
    if settings.who:
        return settings.who
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def default_db(env: Mapping[str, str] | None = None) -> str:
    """The knowledge base used when ``--db`` is not given: ``SITREP_DB`` or ``sitrep.db``."""
    environ = os.environ if env is None else env
    return environ.get(DB_ENV) or "sitrep.db"


DEFAULT_DB = default_db()


# -- hand-off to server worker processes -----------------------------------------------------------
# uvicorn's multiprocess mode starts each worker by importing a factory, so what the parent decided
# (the web app's arguments and the server limits) travels to the workers through one environment
# variable that only this module writes and reads.
WORKER_ENV = "SITREP_WORKER_SETTINGS"


def hand_to_workers(values: Mapping[str, Any]) -> None:
    """Publish ``values`` (JSON-serialisable) for the worker processes this process starts."""
    import json

    os.environ[WORKER_ENV] = json.dumps(dict(values))


def from_parent() -> dict[str, Any]:
    """The values the parent process published with :func:`hand_to_workers` ({} when none)."""
    import json

    raw = os.environ.get(WORKER_ENV)
    return dict(json.loads(raw)) if raw else {}
