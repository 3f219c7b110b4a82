"""One typed settings object.

Precedence, lowest first: the defaults below < a TOML file < ``NEWSBRIEF_*``
environment variables < explicit overrides (command-line flags).
The file is ``--config PATH``, else ``$NEWSBRIEF_CONFIG``, else
``$NEWSBRIEF_HOME/config.toml`` when it exists.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from .errors import ConfigError

ENV_PREFIX = "NEWSBRIEF_"


def _default_home() -> str:
    return str(Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "newsbrief")


@dataclass(frozen=True)
class Settings:
    home: str = dataclasses.field(default_factory=_default_home)
    # "minilm" (the int8 ONNX sentence model), "tfidf" (no model), or "auto":
    # minilm when its packages are installed, tfidf otherwise.
    embedder: str = "auto"
    embed_batch_size: int = 8  # measured fastest on 2 cores: less padding per batch
    # onnxruntime threads for the sentence model; 0 = one per core. Measured on 2 cores with a
    # busy neighbour: 50-article briefing 6.8 s wall with 0 against 9.3 s with 1 (the spaCy
    # load that overlaps the embedding is short now that only its recognizer loads).
    embed_threads: int = 0
    words: int = 120
    # How who-said-what types speakers the patterns leave open: "rules" (a place gazetteer,
    # institution words; no model) or "spacy" (its NER first; ~1.5 s more per process).
    ner: str = "rules"
    # Fetching URLs on a user's behalf.
    fetch_timeout: float = 10.0
    fetch_max_bytes: int = 10_000_000
    allow_private_urls: bool = True  # the CLI fetches what its user names; the server turns this off
    user_agent: str = "newsbrief/0.1 (+https://github.com/newsbrief)"
    # Input limits.
    max_input_bytes: int = 20_000_000
    max_articles: int = 2000
    # The story library; empty means SQLite at $home/library.db.
    database_url: str = ""
    # Web server limits.
    max_request_bytes: int = 5_000_000
    max_articles_per_briefing: int = 100
    briefing_timeout: float = 60.0
    log_level: str = "WARNING"

    def with_overrides(self, **overrides: Any) -> Settings:
        known = {f.name for f in fields(self)}
        clean = {k: v for k, v in overrides.items() if v is not None}
        unknown = set(clean) - known
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return dataclasses.replace(self, **{k: _coerce(k, v) for k, v in clean.items()})

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{Path(self.home) / 'library.db'}"


def _field_type(name: str) -> type:
    default = next(f for f in fields(Settings) if f.name == name)
    value = default.default if default.default is not dataclasses.MISSING else default.default_factory()
    return type(value)


def _coerce(name: str, value: Any) -> Any:
    kind = _field_type(name)
    if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    text = str(value).strip()
    try:
        if kind is bool:
            if text.lower() in {"1", "true", "yes", "on"}:
                return True
            if text.lower() in {"0", "false", "no", "off"}:
                return False
            raise ValueError(text)
        return kind(text)
    except ValueError:
        raise ConfigError(f"setting {name!r} must be a {kind.__name__}, got {text!r}") from None


def _from_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError("config file does not exist", origin=str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file is not valid TOML ({exc})", origin=str(path)) from None
    section = data.get("newsbrief", data)
    if not isinstance(section, dict):
        raise ConfigError("config file needs a [newsbrief] table", origin=str(path))
    return section


def _from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    known = {f.name for f in fields(Settings)}
    found = {}
    for key, value in environ.items():
        if key.startswith(ENV_PREFIX):
            name = key[len(ENV_PREFIX):].lower()
            if name in known:
                found[name] = value
    return found


def _config_path(config: str | os.PathLike[str] | None, environ: Mapping[str, str],
                 home: str) -> Path | None:
    """The settings file in force: --config, else $NEWSBRIEF_CONFIG, else $home/config.toml if it exists."""
    path = config or environ.get(ENV_PREFIX + "CONFIG")
    if path:
        return Path(path)
    implicit = Path(home) / "config.toml"
    return implicit if implicit.is_file() else None


def _home(environ: Mapping[str, str]) -> str:
    env_values = _from_env(environ)
    return Settings().with_overrides(home=env_values.get("home")).home


def explicit_settings(
    config: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> set[str]:
    """Names of the settings the operator set explicitly, in the settings file or the environment.

    Lets a caller tell a deliberate choice from an inherited default (the web
    server refuses private URLs unless ``allow_private_urls`` is set explicitly).
    """
    environ = os.environ if environ is None else environ
    names = set(_from_env(environ))
    path = _config_path(config, environ, _home(environ))
    if path is not None:
        names |= set(_from_file(path))
    return names


def load_settings(
    config: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Build the settings from defaults, file, environment and overrides."""
    environ = os.environ if environ is None else environ
    settings = Settings().with_overrides(home=_home(environ))
    path = _config_path(config, environ, settings.home)
    if path is not None:
        settings = settings.with_overrides(**_from_file(path))
    settings = settings.with_overrides(**_from_env(environ))
    return settings.with_overrides(**overrides)
