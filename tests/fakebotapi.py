"""A strict fake of the Telegram Bot API for tests, in-process or over HTTP on 127.0.0.1.

`FakeTelegram` holds the state (chats, messages, callback queries, files, polls, commands) and
answers Bot API methods the way Telegram does, including its refusals: text over 4096
characters, HTML that Telegram's parser rejects (a port of TDLib's `parse_html`), callback data
over 64 bytes, poll fields out of bounds, unknown chats and messages, stale callback queries,
a second concurrent getUpdates. Refusals carry Telegram's status code and error text, so PTB
raises the same exceptions it would raise in production.

Two transports share it:

- `FakeRequest`, a `telegram.request.BaseRequest` for `ApplicationBuilder.request(...)`: no
  sockets, about a tenth of a millisecond per call.
- `FakeBotApiServer`, a threaded HTTP server on 127.0.0.1 for PTB's real networking stack
  (`base_url`/`base_file_url`): long-polling getUpdates, JSON, form and multipart bodies, file
  downloads. It is bounded (at most `max_connections` requests at once, bodies up to 50 MB) and
  stops by itself after `lifetime` seconds if a test forgets to stop it.

Tests play the users: `user_sends`, `user_edits`, `user_presses`, `user_votes`; then wait for
what the bot did with `wait_for` (threads) or `await_for` (asyncio).
"""

from __future__ import annotations

import asyncio
import contextlib
import email.parser
import email.policy
import http.server
import itertools
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import parse_qs, unquote, urlsplit

from telegram.constants import (
    CallbackQueryLimit,
    ChatAction,
    FileSizeLimit,
    InlineKeyboardButtonLimit,
    MessageLimit,
    PollLimit,
)
from telegram.request import BaseRequest, RequestData

DEFAULT_TOKEN: Final = "123456789:AAFakeTokenForTests_abcdefghijklmnopq"
BOT_ID: Final = 123456789
BOT_USERNAME: Final = "kha_test_bot"
MAX_BODY: Final = int(FileSizeLimit.FILESIZE_UPLOAD)
CALLBACK_QUERY_TTL: Final = 15.0  # seconds Telegram waits for answerCallbackQuery

JSON = dict[str, Any]


# --- HTML parse mode (TDLib's parse_html, ported) --------------------------------------------

_TAGS: Final = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_ENTITY_TYPES: Final = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "u": "underline",
    "ins": "underline",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "pre": "pre",
    "code": "code",
    "blockquote": "blockquote",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
}
_SPACE: Final = " \t\r\n\v\f"


class EntityParseError(ValueError):
    """HTML that Telegram would refuse; the message is Telegram's."""


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's offsets and limits."""
    return len(text.encode("utf-16-le")) // 2


def _decode_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode the HTML entity at text[pos] == '&' as TDLib does; None if it is a plain '&'."""
    end = pos + 1
    if text[end : end + 1] == "#":
        end += 1
        if text[end : end + 1] == "x":
            end += 1
            start = end
            while end < len(text) and text[end] in "0123456789abcdefABCDEF":
                end += 1
            code = int(text[start:end], 16) if end > start else 0
        else:
            start = end
            while end < len(text) and text[end].isdigit() and text[end].isascii():
                end += 1
            code = int(text[start:end]) if end > start else 0
        if code == 0 or code >= 0x10FFFF or end - pos >= 10:
            return None
        char = chr(code)
    else:
        while end < len(text) and text[end].isascii() and text[end].isalpha():
            end += 1
        named = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}.get(text[pos + 1 : end])
        if named is None:
            return None
        char = named
    if text[end : end + 1] == ";":
        end += 1
    return char, end


def parse_html(html: str) -> tuple[str, list[JSON]]:
    """The plain text and entities Telegram makes of `html`; EntityParseError if it refuses.

    Offsets in error messages are byte offsets in UTF-8, as Telegram reports them.
    """

    def byte_offset(index: int) -> int:
        return len(html[:index].encode("utf-8"))

    out: list[str] = []
    utf16 = 0
    entities: list[JSON] = []
    stack: list[tuple[str, str, int, int]] = []  # tag, argument, utf16 start, out start
    n = len(html)
    i = 0
    while i < n:
        c = html[i]
        if c == "&":
            decoded = _decode_entity(html, i)
            if decoded is not None:
                char, i = decoded
                if 0xD800 <= ord(char) <= 0xDFFF:
                    raise EntityParseError(
                        "Text contains invalid Unicode characters after decoding HTML entities,"
                        " check for unmatched surrogate code units"
                    )
                out.append(char)
                utf16 += utf16_len(char)
                continue
        if c != "<":
            out.append(c)
            utf16 += utf16_len(c)
            i += 1
            continue
        begin = i
        i += 1
        if html[i : i + 1] != "/":
            while i < n and html[i] not in _SPACE and html[i] != ">":
                i += 1
            if i >= n:
                raise EntityParseError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
            tag = html[begin + 1 : i].lower()
            if tag not in _TAGS:
                raise EntityParseError(
                    f'Unsupported start tag "{tag}" at byte offset {byte_offset(begin)}'
                )
            argument = ""
            while i < n and html[i] != ">":
                while i < n and html[i] in _SPACE:
                    i += 1
                if i < n and html[i] == ">":
                    break
                name_start = i
                while i < n and html[i] not in _SPACE and html[i] not in "=>":
                    i += 1
                name = html[name_start:i]
                if not name:
                    raise EntityParseError(
                        f'Empty attribute name in the tag "{tag}" at byte'
                        f" offset {byte_offset(begin)}"
                    )
                while i < n and html[i] in _SPACE:
                    i += 1
                value = ""
                if i < n and html[i] == "=":
                    i += 1
                    while i < n and html[i] in _SPACE:
                        i += 1
                    if i >= n:
                        raise EntityParseError(
                            f'Unclosed start tag "{tag}" at byte offset {byte_offset(begin)}'
                        )
                    if html[i] not in "'\"":
                        token_start = i
                        while i < n and (
                            (html[i].isascii() and html[i].isalnum()) or html[i] in ".-"
                        ):
                            i += 1
                        value = html[token_start:i].lower()
                        if i < n and html[i] not in _SPACE and html[i] != ">":
                            raise EntityParseError(
                                "Unexpected end of name token at byte offset"
                                f" {byte_offset(token_start)}"
                            )
                    else:
                        quote = html[i]
                        i += 1
                        chars = []
                        while i < n and html[i] != quote:
                            if html[i] == "&" and (decoded := _decode_entity(html, i)):
                                chars.append(decoded[0])
                                i = decoded[1]
                                continue
                            chars.append(html[i])
                            i += 1
                        if i < n:
                            i += 1
                        value = "".join(chars)
                if i >= n:
                    raise EntityParseError(
                        f"Unclosed start tag at byte offset {byte_offset(begin)}"
                    )
                if tag == "a" and name == "href":
                    argument = value
                elif tag == "code" and name == "class" and value.startswith("language-"):
                    argument = value[9:]
                elif tag == "span" and name == "class" and value.startswith("tg-"):
                    argument = value[3:]
                elif tag == "tg-emoji" and name == "emoji-id":
                    argument = value
            if tag == "span" and argument != "spoiler":
                raise EntityParseError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {byte_offset(begin)}'
                )
            stack.append((tag, argument, utf16, len(out)))
            i += 1  # past '>'
        else:
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {byte_offset(begin)}")
            while i < n and html[i] not in _SPACE and html[i] != ">":
                i += 1
            end_tag = html[begin + 2 : i].lower()
            while i < n and html[i] in _SPACE:
                i += 1
            if i >= n or html[i] != ">":
                raise EntityParseError(f"Unclosed end tag at byte offset {byte_offset(begin)}")
            i += 1
            tag, argument, start, out_start = stack.pop()
            if end_tag and end_tag != tag:
                raise EntityParseError(
                    f"Unmatched end tag at byte offset {byte_offset(begin)}, expected"
                    f' "</{tag}>", found "</{end_tag}>"'
                )
            if utf16 > start:
                entity: JSON = {
                    "type": _ENTITY_TYPES[tag],
                    "offset": start,
                    "length": utf16 - start,
                }
                if tag == "a":
                    url = argument or "".join(out[out_start:])
                    if not re.match(r"(https?|tg)://\S+$", url, re.IGNORECASE):
                        continue  # Telegram drops links it cannot check
                    entity["url"] = url
                elif tag == "tg-emoji":
                    if not argument.isdigit() or int(argument) == 0:
                        raise EntityParseError("Invalid custom emoji identifier specified")
                    entity["custom_emoji_id"] = argument
                elif tag == "code" and argument:
                    entity["language"] = argument
                entities.append(entity)
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


# --- errors and parameters -------------------------------------------------------------------


class ApiError(Exception):
    """A refusal, as Telegram sends it."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def body(self) -> JSON:
        """The JSON body of the error response."""
        body: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad(description: str) -> ApiError:
    """A 400 with Telegram's "Bad Request: ..." text."""
    return ApiError(400, f"Bad Request: {description}")


def _decode(value: Any) -> Any:
    """Form values are strings; objects and arrays arrive JSON-encoded."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class Params:
    """Typed access to one request's parameters, refusing what Telegram refuses."""

    def __init__(self, raw: dict[str, Any], files: dict[str, tuple[str, bytes, str]]) -> None:
        self.raw = {k: _decode(v) for k, v in raw.items()}
        self.files = files

    def __contains__(self, name: str) -> bool:
        return self.raw.get(name) not in (None, "")

    def str(self, name: str, default: str | None = None) -> str | None:
        value = self.raw.get(name, default)
        return None if value is None else str(value)

    def int(self, name: str, *, required: bool = False) -> int | None:
        value = self.raw.get(name)
        if value in (None, ""):
            if required:
                raise bad(f"{name} is empty" if name != "chat_id" else "chat_id is empty")
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad(f"invalid {name} specified") from None

    def bool(self, name: str, default: bool = False) -> bool:
        value = self.raw.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        return str(value).lower() in ("true", "1")

    def obj(self, name: str) -> Any:
        value = self.raw.get(name)
        if isinstance(value, str) and value:
            try:
                return json.loads(value)
            except ValueError:
                raise bad(f"can't parse {name} JSON object") from None
        return value


@dataclass
class Call:
    """One API call the bot made, with its outcome."""

    method: str
    params: JSON
    ok: bool = True
    result: Any = None
    error: str | None = None
    at: float = field(default_factory=time.monotonic)


@dataclass
class _Failure:
    code: int
    description: str
    retry_after: int | None
    times: int
    drop: bool = False


# --- the fake ------------------------------------------------------------------------------


class FakeTelegram:
    """State and method handling of the fake Bot API, independent of the transport."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_id: int = BOT_ID,
        username: str = BOT_USERNAME,
        max_poll_wait: float = 5.0,
    ) -> None:
        self.token = token
        self.bot = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "ҚХА бот",
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.max_poll_wait = max_poll_wait
        self.calls: list[Call] = []
        self.chats: dict[int, JSON] = {}
        self.messages: dict[tuple[int, int], JSON] = {}
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.files: dict[str, tuple[bytes, JSON]] = {}
        self.polls: dict[str, JSON] = {}
        self._poll_opened: dict[str, float] = {}
        self._voters: dict[str, set[int]] = {}
        self._admins: dict[int, list[JSON]] = {}
        self.webhook: JSON = {"url": ""}
        self._updates: list[JSON] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._ids = itertools.count(1)
        self._queries: dict[str, JSON] = {}
        self._allowed_updates: list[str] | None = None
        self._failures: dict[str, list[_Failure]] = {}
        self._poller = 0
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self.stopped = False

    # --- people and chats (the test's side) ---

    def user(
        self,
        user_id: int,
        first_name: str = "Айгүл",
        language_code: str | None = "kk",
        username: str | None = None,
    ) -> JSON:
        """A Telegram user."""
        user: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            user["language_code"] = language_code
        if username:
            user["username"] = username
        return user

    def private_chat(self, user: JSON) -> JSON:
        """The private chat with `user`, registered so the bot may write to it."""
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        with self._lock:
            self.chats[chat["id"]] = chat
        return chat

    def group_chat(
        self, chat_id: int = -1001234567890, title: str = "ҚХА талқылау", supergroup: bool = True
    ) -> JSON:
        """A group the bot is a member of."""
        chat = {"id": chat_id, "type": "supergroup" if supergroup else "group", "title": title}
        with self._lock:
            self.chats[chat_id] = chat
        return chat

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    @staticmethod
    def auto_entities(text: str) -> list[JSON]:
        """The bot_command and mention entities Telegram finds in a user's text."""
        found = []
        for kind, pattern in (
            ("bot_command", r"(?<![\w/<>])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/<>])"),
            ("mention", r"(?<!\w)@[A-Za-z0-9_]{2,32}(?!\w)"),
        ):
            for match in re.finditer(pattern, text):
                found.append(
                    {
                        "type": kind,
                        "offset": utf16_len(text[: match.start()]),
                        "length": utf16_len(match.group()),
                    }
                )
        return sorted(found, key=lambda e: e["offset"])

    def user_sends(
        self,
        chat: JSON,
        user: JSON,
        text: str | None = None,
        *,
        reply_to: JSON | None = None,
        entities: list[JSON] | None = None,
        **content: Any,
    ) -> JSON:
        """`user` posts a message in `chat` (text, or content such as sticker=...); returns it."""
        with self._lock:
            self.chats.setdefault(chat["id"], chat)
            message: JSON = {
                "message_id": self._next_message_id(chat["id"]),
                "date": int(time.time()),
                "chat": chat,
                "from": user,
            }
            if text is not None:
                message["text"] = text
                found = self.auto_entities(text) if entities is None else entities
                if found:
                    message["entities"] = found
            if reply_to is not None:
                message["reply_to_message"] = reply_to
            message.update(content)
            self.messages[(chat["id"], message["message_id"])] = message
            self.push_update({"message": message})
        return message

    def user_edits(self, message: JSON, text: str) -> JSON:
        """The author edits one of their messages."""
        with self._lock:
            edited = dict(message, text=text, edit_date=int(time.time()))
            found = self.auto_entities(text)
            if found:
                edited["entities"] = found
            self.messages[(message["chat"]["id"], message["message_id"])] = edited
            self.push_update({"edited_message": edited})
        return edited

    def user_presses(self, message: JSON, data: str, user: JSON) -> str:
        """`user` presses an inline button with callback `data` under `message`; its query id."""
        with self._lock:
            query_id = str(next(self._ids) * 7919)
            self._queries[query_id] = {"at": time.monotonic(), "answered": False}
            self.push_update(
                {
                    "callback_query": {
                        "id": query_id,
                        "from": user,
                        "message": message,
                        "data": data,
                        "chat_instance": f"ci{message['chat']['id']}",
                    }
                }
            )
        return query_id

    def user_votes(self, poll_id: str, user: JSON, option_ids: list[int]) -> None:
        """`user` answers a poll, as a Telegram client lets them: ValueError for a closed poll
        (stopped, or its `open_period` over), a second vote where revoting is off, or an option
        that does not exist. Only non-anonymous polls send the bot a `poll_answer` update."""
        with self._lock:
            poll = self.polls[poll_id]
            if self.poll_closed(poll_id):
                raise ValueError("the poll is closed")
            voters = self._voters.setdefault(poll_id, set())
            if user["id"] in voters and not poll["allows_revoting"]:
                raise ValueError("this user has already voted")
            if not option_ids or any(not 0 <= i < len(poll["options"]) for i in option_ids):
                raise ValueError("no such option")
            voters.add(user["id"])
            poll["total_voter_count"] = len(voters)
            for i in option_ids:
                poll["options"][i]["voter_count"] += 1
            if poll["is_anonymous"]:
                return
            self.push_update(
                {
                    "poll_answer": {
                        "poll_id": poll_id,
                        "user": user,
                        "option_ids": option_ids,
                        "option_persistent_ids": [
                            poll["options"][i]["persistent_id"] for i in option_ids
                        ],
                    }
                }
            )

    def poll_closed(self, poll_id: str) -> bool:
        """Whether a poll is closed: stopped, or its `open_period` has run out."""
        with self._lock:
            poll = self.polls[poll_id]
            period = poll.get("open_period")
            if not poll["is_closed"] and period is not None:
                poll["is_closed"] = time.time() >= self._poll_opened[poll_id] + period
            return bool(poll["is_closed"])

    def class_group(
        self, teacher: tuple[int, str] = (10, "Мұғалім"), pupil: tuple[int, str] = (11, "Оқушы")
    ) -> tuple[JSON, JSON, JSON]:
        """A class's group chat whose creator is the teacher: (teacher, pupil, group)."""
        group = self.group_chat()
        self.set_admins(group, (owner := self.user(*teacher)))
        return owner, self.user(*pupil), group

    def set_admins(self, chat: JSON, owner: JSON, *admins: JSON) -> None:
        """Make `owner` the group's creator and `admins` its administrators."""
        with self._lock:
            self._admins[chat["id"]] = [owner, *admins]

    def add_file(
        self, content: bytes, file_name: str = "file.txt", mime_type: str = "text/plain"
    ) -> JSON:
        """Store a file as if a user had uploaded it; returns its Document object."""
        with self._lock:
            number = next(self._ids)
            document = {
                "file_id": f"DOC{number:08d}",
                "file_unique_id": f"U{number:08d}",
                "file_name": file_name,
                "mime_type": mime_type,
                "file_size": len(content),
            }
            self.files[document["file_id"]] = (content, document)
        return document

    def take_updates(self) -> list[JSON]:
        """Remove and return the queued updates (to drive an application in-process)."""
        with self._lock:
            updates, self._updates = self._updates, []
            return updates

    def push_update(self, update: JSON) -> int:
        """Queue a raw update for getUpdates; returns its update_id."""
        with self._changed:
            update = {"update_id": next(self._update_ids), **update}
            self._updates.append(update)
            self._changed.notify_all()
            return int(update["update_id"])

    # --- fault injection ---

    def fail_next(
        self,
        method: str,
        *,
        code: int = 429,
        description: str | None = None,
        retry_after: int | None = 1,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls of `method` fail (a 429 with retry_after by default)."""
        if description is None:
            description = (
                f"Too Many Requests: retry after {retry_after}"
                if code == 429
                else "Internal Server Error"
            )
        with self._lock:
            self._failures.setdefault(method, []).append(
                _Failure(code, description, retry_after if code == 429 else None, times)
            )

    def drop_next(self, method: str, times: int = 1) -> None:
        """Over HTTP: close the connection without answering the next `times` calls."""
        with self._lock:
            self._failures.setdefault(method, []).append(_Failure(0, "", None, times, drop=True))

    def _take_failure(self, method: str) -> _Failure | None:
        queue = self._failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
        return failure

    # --- what the bot did (the test's side) ---

    def calls_of(self, method: str) -> list[Call]:
        """Every call of `method` so far, failed ones included."""
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def sent(self, chat_id: int | None = None) -> list[JSON]:
        """Messages the bot sent (successfully), oldest first, optionally in one chat."""
        with self._lock:
            return [
                c.result
                for c in self.calls
                if c.ok
                and c.method.startswith("send")
                and c.method != "sendChatAction"
                and (chat_id is None or c.result["chat"]["id"] == chat_id)
            ]

    def wait_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        *,
        count: int = 1,
        timeout: float = 5.0,
    ) -> list[Call]:
        """Block until `count` calls of `method` (matching `predicate`) happened."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [
                    c
                    for c in self.calls
                    if c.method == method and (predicate is None or predicate(c))
                ]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [
                        f"{c.method}{'' if c.ok else ' (' + str(c.error) + ')'}"
                        for c in self.calls[-10:]
                    ]
                    raise TimeoutError(
                        f"{count} x {method} not seen in {timeout} s; last calls: {seen}"
                    )
                self._changed.wait(min(left, 0.5))

    async def await_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        *,
        count: int = 1,
        timeout: float = 5.0,
    ) -> list[Call]:
        """`wait_for` without blocking the event loop."""
        return await asyncio.to_thread(
            self.wait_for, method, predicate, count=count, timeout=timeout
        )

    def stop(self) -> None:
        """Wake every waiting long poll so it returns at once."""
        with self._changed:
            self.stopped = True
            self._changed.notify_all()

    # --- the API (the bot's side) ---

    def respond(
        self,
        token: str,
        method: str,
        raw: dict[str, Any],
        files: dict[str, tuple[str, bytes, str]] | None = None,
    ) -> tuple[int, bytes]:
        """Handle one call; the HTTP status and JSON body Telegram would send."""
        if token != self.token:
            return 401, json.dumps(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}
            ).encode()
        params = Params(raw, files or {})
        call = Call(method, dict(params.raw))
        try:
            with self._lock:
                failure = self._take_failure(method)
            if failure is not None and not failure.drop:
                raise ApiError(failure.code, failure.description, failure.retry_after)
            handler = getattr(self, f"api_{method}", None)
            if handler is None:
                raise ApiError(404, "Not Found")
            result = handler(params)
            call.result = result
            status, body = 200, {"ok": True, "result": result}
        except ApiError as exc:
            call.ok, call.error = False, exc.description
            status, body = exc.code, exc.body()
        if method != "getUpdates" or call.result or not call.ok:
            with self._changed:
                self.calls.append(call)
                self._changed.notify_all()
        return status, json.dumps(body, ensure_ascii=False).encode()

    def should_drop(self, method: str) -> bool:
        """Over HTTP: whether to close the connection instead of answering."""
        with self._lock:
            queue = self._failures.get(method)
            if queue and queue[0].drop:
                self._take_failure(method)
                return True
        return False

    def download(self, token: str, file_path: str) -> bytes | None:
        """The bytes behind a file_path from getFile, or None."""
        if token != self.token:
            return None
        with self._lock:
            for content, document in self.files.values():
                if document.get("file_path") == file_path:
                    return content
        return None

    # helpers for the methods

    def _chat(self, params: Params) -> JSON:
        raw = params.str("chat_id")
        if raw is None or raw == "":
            raise bad("chat_id is empty")
        try:
            chat_id = int(raw)
        except ValueError:
            raise bad("chat not found") from None
        chat = self.chats.get(chat_id)
        if chat is None:
            raise bad("chat not found")
        return chat

    def _formatted(
        self,
        params: Params,
        name: str,
        mode_name: str,
        *,
        limit: int,
        empty: str,
        too_long: str,
        required: bool = True,
    ) -> tuple[str, list[JSON]]:
        text = params.str(name)
        if text is None or text == "":
            if required:
                raise bad(empty)
            return "", []
        mode = (params.str(mode_name) or "").lower()
        if mode == "html":
            try:
                text, entities = parse_html(text)
            except EntityParseError as exc:
                raise bad(f"can't parse entities: {exc}") from None
        elif mode in ("markdown", "markdownv2"):
            raise bad("the fake Bot API checks HTML only; use parse_mode=HTML")
        elif mode:
            raise bad(f"unsupported parse_mode {mode}")
        else:
            entities = params.obj("entities" if name == "text" else f"{name}_entities") or []
        if not text.strip() and required:
            raise bad(empty)
        if utf16_len(text) > limit:
            raise bad(too_long)
        return text, entities

    def _markup(self, params: Params) -> JSON | None:
        markup = params.obj("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise bad("can't parse reply keyboard markup JSON object")
        keyboard = markup.get("inline_keyboard")
        if keyboard is None:
            return markup
        if not isinstance(keyboard, list) or not all(isinstance(r, list) for r in keyboard):
            raise bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
        if sum(len(row) for row in keyboard) > 100:
            raise bad("reply markup is too long")
        for row in keyboard:
            for button in row:
                if not isinstance(button, dict) or not str(button.get("text", "")).strip():
                    raise bad("can't parse inline keyboard button: Text must be non-empty")
                data = button.get("callback_data")
                url = button.get("url")
                if data is not None:
                    size = len(str(data).encode("utf-8"))
                    if not (
                        InlineKeyboardButtonLimit.MIN_CALLBACK_DATA
                        <= size
                        <= InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
                    ):
                        raise bad("BUTTON_DATA_INVALID")
                elif url is not None:
                    if not re.match(r"(https?|tg)://\S+$", str(url)):
                        raise bad(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")
                elif not any(
                    k in button
                    for k in (
                        "switch_inline_query",
                        "copy_text",
                        "web_app",
                        "login_url",
                        "pay",
                        "callback_game",
                        "switch_inline_query_current_chat",
                    )
                ):
                    raise bad("text buttons are unallowed in the inline keyboard")
        return markup

    def _reply_to(self, params: Params, chat: JSON) -> JSON | None:
        reply = params.obj("reply_parameters")
        message_id = None
        allow = params.bool("allow_sending_without_reply")
        if isinstance(reply, dict):
            message_id = reply.get("message_id")
            allow = bool(reply.get("allow_sending_without_reply", False))
        elif "reply_to_message_id" in params:
            message_id = params.int("reply_to_message_id")
        if message_id is None:
            return None
        replied = self.messages.get((chat["id"], int(message_id)))
        if replied is None and not allow:
            raise bad("message to be replied not found")
        return replied

    def _new_message(self, chat: JSON, params: Params, **content: Any) -> JSON:
        message: JSON = {
            "message_id": self._next_message_id(chat["id"]),
            "date": int(time.time()),
            "chat": chat,
            "from": self.bot,
        }
        replied = self._reply_to(params, chat)
        if replied is not None:
            message["reply_to_message"] = {
                k: v for k, v in replied.items() if k != "reply_to_message"
            }
        thread = params.int("message_thread_id")
        if thread is not None:
            message["message_thread_id"] = thread
            message["is_topic_message"] = True
        message.update({k: v for k, v in content.items() if v not in (None, [])})
        self.messages[(chat["id"], message["message_id"])] = message
        return message

    def _own_message(self, params: Params, missing: str) -> JSON:
        if "inline_message_id" in params:
            raise bad("the fake Bot API has no inline messages")
        chat = self._chat(params)
        message_id = params.int("message_id", required=True)
        message = self.messages.get((chat["id"], message_id or 0))
        if message is None:
            raise bad(missing)
        if message["from"]["id"] != self.bot["id"]:
            raise bad("message can't be edited")
        return message

    # --- methods ---

    def api_getMe(self, params: Params) -> JSON:
        return self.bot

    def api_logOut(self, params: Params) -> bool:
        return True

    def api_close(self, params: Params) -> bool:
        return True

    def api_getUpdates(self, params: Params) -> list[JSON]:
        offset = params.int("offset") or 0
        limit = max(1, min(params.int("limit") or 100, 100))
        timeout = max(0.0, float(params.str("timeout") or 0))
        allowed = params.obj("allowed_updates")
        deadline = time.monotonic() + min(timeout, self.max_poll_wait)
        with self._changed:
            if self.webhook["url"]:
                raise ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is"
                    " active; use deleteWebhook to delete the webhook first",
                )
            if isinstance(allowed, list):
                self._allowed_updates = allowed or None
            self._poller += 1
            me = self._poller
            self._changed.notify_all()
            if offset:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while True:
                if me != self._poller:
                    raise ApiError(
                        409,
                        "Conflict: terminated by other getUpdates request;"
                        " make sure that only one bot instance is running",
                    )
                wanted = self._allowed_updates
                ready = [u for u in self._updates if wanted is None or any(k in u for k in wanted)]
                left = deadline - time.monotonic()
                if ready or left <= 0 or self.stopped:
                    return ready[:limit]
                self._changed.wait(left)

    def api_setWebhook(self, params: Params) -> bool:
        url = params.str("url") or ""
        if url and not url.startswith("https://"):
            raise bad("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.str("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise bad("bad webhook: secret token contains unallowed characters")
        with self._lock:
            self.webhook = {"url": url, "secret_token": secret}
        return True

    def api_deleteWebhook(self, params: Params) -> bool:
        with self._lock:
            self.webhook = {"url": ""}
            if params.bool("drop_pending_updates"):
                self._updates.clear()
        return True

    def api_getWebhookInfo(self, params: Params) -> JSON:
        with self._lock:
            return {
                "url": self.webhook["url"],
                "has_custom_certificate": False,
                "pending_update_count": 0 if self.webhook["url"] else len(self._updates),
            }

    def api_sendMessage(self, params: Params) -> JSON:
        with self._lock:
            chat = self._chat(params)
            text, entities = self._formatted(
                params,
                "text",
                "parse_mode",
                limit=MessageLimit.MAX_TEXT_LENGTH,
                empty="message text is empty",
                too_long="message is too long",
            )
            markup = self._markup(params)
            return self._new_message(
                chat, params, text=text, entities=entities, reply_markup=markup
            )

    def api_editMessageText(self, params: Params) -> JSON:
        with self._lock:
            message = self._own_message(params, "message to edit not found")
            text, entities = self._formatted(
                params,
                "text",
                "parse_mode",
                limit=MessageLimit.MAX_TEXT_LENGTH,
                empty="message text is empty",
                too_long="message is too long",
            )
            markup = self._markup(params)
            if "text" not in message:
                raise bad("there is no text in the message to edit")
            if (text, entities, markup) == (
                message["text"],
                message.get("entities", []),
                message.get("reply_markup"),
            ):
                raise bad(
                    "message is not modified: specified new message content and reply"
                    " markup are exactly the same as a current content and reply markup"
                    " of the message"
                )
            message.update(text=text, entities=entities, edit_date=int(time.time()))
            message.pop("reply_markup", None)
            if markup is not None:
                message["reply_markup"] = markup
            return message

    def api_editMessageReplyMarkup(self, params: Params) -> JSON:
        with self._lock:
            message = self._own_message(params, "message to edit not found")
            markup = self._markup(params)
            if markup == message.get("reply_markup"):
                raise bad(
                    "message is not modified: specified new message content and reply"
                    " markup are exactly the same as a current content and reply markup"
                    " of the message"
                )
            message.pop("reply_markup", None)
            if markup is not None:
                message["reply_markup"] = markup
            return message

    def api_deleteMessage(self, params: Params) -> bool:
        with self._lock:
            chat = self._chat(params)
            key = (chat["id"], params.int("message_id", required=True) or 0)
            if self.messages.pop(key, None) is None:
                raise bad("message to delete not found")
            return True

    def api_answerCallbackQuery(self, params: Params) -> bool:
        query_id = params.str("callback_query_id") or ""
        text = params.str("text") or ""
        with self._lock:
            query = self._queries.get(query_id)
            if (
                query is None
                or query["answered"]
                or time.monotonic() - query["at"] > CALLBACK_QUERY_TTL
            ):
                raise bad("query is too old and response timeout expired or query ID is invalid")
            if utf16_len(text) > CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH:
                raise bad("MESSAGE_TOO_LONG")
            query["answered"] = True
            query["text"] = text
            return True

    def api_sendChatAction(self, params: Params) -> bool:
        with self._lock:
            self._chat(params)
            if params.str("action") not in {a.value for a in ChatAction}:
                raise bad("wrong parameter action in request")
            return True

    def _commands_key(self, params: Params) -> tuple[str, str]:
        scope = params.obj("scope") or {"type": "default"}
        lang = params.str("language_code") or ""
        if lang and not re.fullmatch(r"[a-z]{2}", lang):
            raise bad("invalid language code specified")
        return json.dumps(scope, sort_keys=True), lang

    def api_setMyCommands(self, params: Params) -> bool:
        commands = params.obj("commands")
        if not isinstance(commands, list):
            raise bad("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad("too many commands specified")
        for command in commands:
            name = str(command.get("command", "")) if isinstance(command, dict) else ""
            description = str(command.get("description", "")) if isinstance(command, dict) else ""
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise bad("BOT_COMMAND_INVALID")
            if not 1 <= len(description.strip()) <= 256:
                raise bad("BOT_COMMAND_DESCRIPTION_INVALID")
        with self._lock:
            self.commands[self._commands_key(params)] = commands
        return True

    def api_getMyCommands(self, params: Params) -> list[JSON]:
        with self._lock:
            return self.commands.get(self._commands_key(params), [])

    def api_deleteMyCommands(self, params: Params) -> bool:
        with self._lock:
            self.commands.pop(self._commands_key(params), None)
        return True

    def api_sendPoll(self, params: Params) -> JSON:
        with self._lock:
            chat = self._chat(params)
            question, question_entities = self._formatted(
                params,
                "question",
                "question_parse_mode",
                limit=PollLimit.MAX_QUESTION_LENGTH,
                empty="text must be non-empty",
                too_long=f"poll question length must not exceed {PollLimit.MAX_QUESTION_LENGTH}",
            )
            raw_options = params.obj("options")
            if not isinstance(raw_options, list) or not raw_options:
                raise bad("poll must have at least one answer option")
            if len(raw_options) > PollLimit.MAX_OPTION_NUMBER:
                raise bad(f"poll can't have more than {PollLimit.MAX_OPTION_NUMBER} options")
            options = []
            for n, raw in enumerate(raw_options):
                text = raw.get("text") if isinstance(raw, dict) else raw
                if not isinstance(text, str) or not text.strip():
                    raise bad("text must be non-empty")
                if utf16_len(text) > PollLimit.MAX_OPTION_LENGTH:
                    raise bad(f"poll options length must not exceed {PollLimit.MAX_OPTION_LENGTH}")
                options.append({"text": text, "voter_count": 0, "persistent_id": str(n)})
            kind = params.str("type") or "regular"
            if kind not in ("regular", "quiz"):
                raise bad("unsupported poll type specified")
            correct = params.obj("correct_option_ids")
            if correct is None and "correct_option_id" in params:
                correct = [params.int("correct_option_id")]
            if isinstance(correct, int):
                correct = [correct]
            if kind == "quiz" and (
                not correct
                or any(not isinstance(c, int) or not 0 <= c < len(options) for c in correct)
            ):
                raise bad("wrong correct option ID specified")
            explanation, explanation_entities = self._formatted(
                params,
                "explanation",
                "explanation_parse_mode",
                limit=PollLimit.MAX_EXPLANATION_LENGTH,
                empty="",
                required=False,
                too_long="explanation is too long",
            )
            if explanation.count("\n") > PollLimit.MAX_EXPLANATION_LINE_FEEDS:
                raise bad(
                    "explanation can't contain more than"
                    f" {PollLimit.MAX_EXPLANATION_LINE_FEEDS} line feeds"
                )
            open_period = params.int("open_period")
            if open_period is not None and not (
                PollLimit.MIN_OPEN_PERIOD <= open_period <= PollLimit.MAX_OPEN_PERIOD
            ):
                raise bad("wrong open period specified")
            if open_period is not None and "close_date" in params:
                raise bad("can't specify both open_period and close_date")
            poll_id = str(5_000_000_000 + next(self._ids))
            poll: JSON = {
                "id": poll_id,
                "question": question,
                "options": options,
                "total_voter_count": 0,
                "is_closed": params.bool("is_closed"),
                "is_anonymous": params.bool("is_anonymous", True),
                "type": kind,
                "allows_multiple_answers": params.bool("allows_multiple_answers"),
                "allows_revoting": params.bool("allows_revoting", kind == "regular"),
                "members_only": params.bool("members_only"),
            }
            if question_entities:
                poll["question_entities"] = question_entities
            if kind == "quiz":
                poll["correct_option_ids"] = correct
            if explanation:
                poll["explanation"] = explanation
                if explanation_entities:
                    poll["explanation_entities"] = explanation_entities
            if open_period is not None:
                poll["open_period"] = open_period
            markup = self._markup(params)
            self.polls[poll_id] = poll
            self._poll_opened[poll_id] = time.time()
            return self._new_message(chat, params, poll=poll, reply_markup=markup)

    def api_stopPoll(self, params: Params) -> JSON:
        with self._lock:
            message = self._own_message(params, "message with poll to stop not found")
            poll = message.get("poll")
            if poll is None:
                raise bad("message is not a poll")
            if self.poll_closed(poll["id"]):
                raise bad("poll has already been closed")
            poll["is_closed"] = True
            return dict(poll)

    def _member(self, chat: JSON, user: JSON) -> JSON:
        admins = self._admins.get(chat["id"], [])
        if admins and admins[0]["id"] == user["id"]:
            return {"status": "creator", "user": user, "is_anonymous": False}
        if any(a["id"] == user["id"] for a in admins[1:]):
            rights = {
                "can_be_edited": False,
                "can_manage_chat": True,
                "can_delete_messages": True,
                "can_manage_video_chats": True,
                "can_restrict_members": True,
                "can_promote_members": False,
                "can_change_info": True,
                "can_invite_users": True,
                "can_post_stories": True,
                "can_edit_stories": True,
                "can_delete_stories": True,
            }
            return {"status": "administrator", "user": user, "is_anonymous": False, **rights}
        return {"status": "member", "user": user}

    def api_getChatMember(self, params: Params) -> JSON:
        with self._lock:
            chat = self._chat(params)
            user_id = params.int("user_id", required=True)
            if chat["type"] == "private":
                if user_id not in (chat["id"], self.bot["id"]):
                    raise bad("user not found")
                return {"status": "member", "user": self.user(user_id or 0)}
            known = [m["from"] for (c, _), m in self.messages.items() if c == chat["id"]]
            known += self._admins.get(chat["id"], [])
            user = next((u for u in known if u["id"] == user_id), None)
            if user is None:
                raise bad("user not found")
            return self._member(chat, user)

    def api_getChatAdministrators(self, params: Params) -> list[JSON]:
        with self._lock:
            chat = self._chat(params)
            if chat["type"] == "private":
                raise bad("there are no administrators in the private chat")
            return [self._member(chat, user) for user in self._admins.get(chat["id"], [])]

    def _caption(self, params: Params) -> tuple[str, Any]:
        """An optional caption, checked like Telegram checks one (length, HTML)."""
        return self._formatted(
            params,
            "caption",
            "parse_mode",
            limit=MessageLimit.CAPTION_LENGTH,
            empty="",
            required=False,
            too_long="message caption is too long",
        )

    @staticmethod
    def _upload(params: Params, field: str) -> tuple[str | None, Any]:
        """(the file reference sent, the uploaded file if one came with the request)."""
        ref = params.str(field)
        if ref and ref.startswith("attach://"):
            return ref, params.files.get(ref[len("attach://") :])
        if not ref:
            return ref, params.files.get(field)
        return ref, None

    def api_sendDocument(self, params: Params) -> JSON:
        with self._lock:
            chat = self._chat(params)
            caption, caption_entities = self._caption(params)
            ref, upload = self._upload(params, "document")
            if upload is not None:
                name, content, mime = upload
                if not content:
                    raise bad("file must be non-empty")
                document = self.add_file(content, name or "document", mime)
            elif ref and ref in self.files:
                document = self.files[ref][1]
            elif ref and re.match(r"https?://", ref):
                raise bad("failed to get HTTP URL content")
            elif ref:
                raise bad("wrong file identifier/HTTP URL specified")
            else:
                raise bad("there is no document in the request")
            markup = self._markup(params)
            public = {k: v for k, v in document.items() if k != "file_path"}
            return self._new_message(
                chat,
                params,
                document=public,
                caption=caption or None,
                caption_entities=caption_entities,
                reply_markup=markup,
            )

    def api_sendPhoto(self, params: Params) -> JSON:
        """A photo upload is checked as Telegram does: a real image, within size and shape."""
        with self._lock:
            chat = self._chat(params)
            caption, caption_entities = self._caption(params)
            _, upload = self._upload(params, "photo")
            if upload is None:
                raise bad("there is no photo in the request")
            name, content, _mime = upload
            if not content:
                raise bad("file must be non-empty")
            if len(content) > FileSizeLimit.PHOTOSIZE_UPLOAD:
                raise bad("file is too big")
            width, height = _image_size(content)
            if width + height > 10000 or max(width, height) > 20 * min(width, height):
                raise bad("PHOTO_INVALID_DIMENSIONS")
            document = self.add_file(content, name or "photo.png", "image/png")
            photo = {
                "file_id": document["file_id"],
                "file_unique_id": document["file_unique_id"],
                "width": width,
                "height": height,
                "file_size": len(content),
            }
            markup = self._markup(params)
            return self._new_message(
                chat,
                params,
                photo=[photo],
                caption=caption or None,
                caption_entities=caption_entities,
                reply_markup=markup,
            )

    def api_getFile(self, params: Params) -> JSON:
        file_id = params.str("file_id") or ""
        with self._lock:
            stored = self.files.get(file_id)
            if stored is None:
                raise bad("invalid file_id")
            content, document = stored
            if len(content) > FileSizeLimit.FILESIZE_DOWNLOAD:
                raise bad("file is too big")
            document.setdefault("file_path", f"documents/file_{document['file_unique_id']}")
            return {
                "file_id": file_id,
                "file_unique_id": document["file_unique_id"],
                "file_size": len(content),
                "file_path": document["file_path"],
            }


def _image_size(content: bytes) -> tuple[int, int]:
    """(width, height) of a PNG or JPEG; Telegram refuses anything it cannot read as an image."""
    if content.startswith(b"\x89PNG\r\n\x1a\n") and content[12:16] == b"IHDR":
        return int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")
    if content.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(content):
            if content[i] != 0xFF:
                break
            marker, length = content[i + 1], int.from_bytes(content[i + 2 : i + 4], "big")
            if 0xC0 <= marker <= 0xC3:
                return (
                    int.from_bytes(content[i + 7 : i + 9], "big"),
                    int.from_bytes(content[i + 5 : i + 7], "big"),
                )
            i += 2 + length
    raise bad("IMAGE_PROCESS_FAILED")


# --- in-process transport ----------------------------------------------------------------

_API_PATH = re.compile(r"/bot(?P<token>[^/]+)/(?P<method>[A-Za-z]+)$")
_FILE_PATH = re.compile(r"/file/bot(?P<token>[^/]+)/(?P<path>.+)$")


def _files_of(request_data: RequestData | None) -> dict[str, tuple[str, bytes, str]]:
    files = {}
    if request_data is not None and request_data.contains_files:
        for name, (filename, content, mime) in request_data.multipart_data.items():
            data = content if isinstance(content, bytes) else content.read()
            files[name] = (filename, data, mime)
    return files


class FakeRequest(BaseRequest):
    """A PTB request object that hands every call straight to a `FakeTelegram`."""

    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        path = unquote(urlsplit(url).path)
        if match := _FILE_PATH.search(path):
            content = self.fake.download(match["token"], match["path"])
            return (200, content) if content is not None else (404, b"Not Found")
        match = _API_PATH.search(path)
        if match is None:
            return 404, b'{"ok":false,"error_code":404,"description":"Not Found"}'
        raw = dict(request_data.json_parameters) if request_data is not None else {}
        args = (match["token"], match["method"], raw, _files_of(request_data))
        if match["method"] == "getUpdates":
            return await asyncio.to_thread(self.fake.respond, *args)
        return self.fake.respond(*args)


# --- HTTP transport ----------------------------------------------------------------------


def _parse_body(
    content_type: str, body: bytes
) -> tuple[dict[str, Any], dict[str, tuple[str, bytes, str]]]:
    kind = content_type.split(";")[0].strip().lower()
    if not body:
        return {}, {}
    if kind == "application/json":
        data = json.loads(body)
        if not isinstance(data, dict):
            raise ValueError("JSON body is not an object")
        return data, {}
    if kind == "application/x-www-form-urlencoded":
        return {k: v[-1] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}, {}
    if kind == "multipart/form-data":
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body
        )
        fields: dict[str, Any] = {}
        files: dict[str, tuple[str, bytes, str]] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            filename = part.get_filename()
            payload = part.get_payload(decode=True) or b""
            if filename is not None:
                files[str(name)] = (filename, payload, part.get_content_type())
            else:
                fields[str(name)] = payload.decode(part.get_content_charset() or "utf-8")
        return fields, files
    raise ValueError(f"unsupported content type {kind!r}")


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as httpx expects
    disable_nagle_algorithm = True  # else small responses wait ~40 ms for a delayed ACK
    timeout = 30  # an idle keep-alive connection is closed after this
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read calls from the fake, not from stderr."""

    def _reply(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _handle(self) -> None:
        server = self.server
        if not server.slots.acquire(timeout=10):
            self._reply(503, b'{"ok":false,"error_code":503,"description":"Service Unavailable"}')
            return
        try:
            self._dispatch(server.fake)
        finally:
            server.slots.release()

    def _dispatch(self, fake: FakeTelegram) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.close_connection = True
            self._reply(
                413, b'{"ok":false,"error_code":413,"description":"Request Entity Too Large"}'
            )
            return
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        if match := _FILE_PATH.fullmatch(unquote(parts.path)):
            content = fake.download(match["token"], match["path"])
            if content is None:
                self._reply(404, b"Not Found", "text/plain")
            else:
                self._reply(200, content, "application/octet-stream")
            return
        match = _API_PATH.fullmatch(unquote(parts.path))
        if match is None:
            self._reply(404, b'{"ok":false,"error_code":404,"description":"Not Found"}')
            return
        try:
            raw, files = _parse_body(self.headers.get("Content-Type", ""), body)
        except (ValueError, UnicodeDecodeError) as exc:
            self._reply(
                400,
                json.dumps(
                    {"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"}
                ).encode(),
            )
            return
        if parts.query:
            for key, values in parse_qs(parts.query).items():
                raw.setdefault(key, values[-1])
        if fake.should_drop(match["method"]):
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        status, payload = fake.respond(match["token"], match["method"], raw, files)
        self._reply(status, payload)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the default 5 resets connections when many chats send at once

    def __init__(self, fake: FakeTelegram, max_connections: int) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake
        self.slots = threading.BoundedSemaphore(max_connections)
        self.sockets: set[socket.socket] = set()
        self._sockets_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._sockets_lock:
            self.sockets.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._sockets_lock:
            self.sockets.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Quiet: a client that hangs up mid-request is not the test's business."""

    def close_all(self) -> None:
        with self._sockets_lock:
            sockets = list(self.sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class FakeBotApiServer:
    """`FakeTelegram` behind HTTP on 127.0.0.1; use as a context manager."""

    def __init__(
        self,
        fake: FakeTelegram | None = None,
        *,
        max_connections: int = 64,
        lifetime: float = 300.0,
    ) -> None:
        self.fake = fake or FakeTelegram()
        self._server = _Server(self.fake, max_connections)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-bot-api",
            daemon=True,
        )
        self._watchdog = threading.Timer(lifetime, self.stop)
        self._watchdog.daemon = True
        self._stopped = False

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """For `ApplicationBuilder.base_url` (PTB appends the token)."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For `ApplicationBuilder.base_file_url`."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    def start(self) -> FakeBotApiServer:
        """Serve in a background thread."""
        self._thread.start()
        self._watchdog.start()
        return self

    def stop(self) -> None:
        """Stop serving, release long polls, close open connections (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        self._watchdog.cancel()
        self.fake.stop()
        self._server.shutdown()
        self._server.close_all()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeBotApiServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def inline_buttons(message: JSON) -> list[JSON]:
    """All inline buttons of a message, row by row."""
    markup = message.get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]


def button_data(message: JSON, startswith: str = "") -> list[str]:
    """The callback data of a message's buttons, optionally only those with a prefix."""
    return [
        b["callback_data"]
        for b in inline_buttons(message)
        if "callback_data" in b and b["callback_data"].startswith(startswith)
    ]


def texts_of(messages: Iterable[JSON]) -> list[str]:
    """The texts of messages (captions for media)."""
    return [m.get("text") or m.get("caption") or "" for m in messages]
