"""The bot under load, through the fake Bot API over real HTTP on 127.0.0.1.

    .venv/bin/python bench/telegram_load.py [--chats 50] [--seconds 60] [--rate 40]
                                            [--limit 0] [--real | --engine-ms 20]

`--chats` private chats ask at once for `--seconds`: each asks a question of
tests/eval/questions.jsonl, waits for the reply, and asks its next one on its own schedule, so
that all together they offer `--rate` questions per second (a chat whose reply came late asks
at once). The round trip is from the user's message entering getUpdates to the bot's
sendMessage reaching the server. `--limit` is AIORateLimiter's overall rate (messages per
second; 0 lifts it: what the bot itself can do). Afterwards it waits for stragglers and checks
that every question got exactly one reply, and that no reply is an error or "try later".

`--real` uses the real engine (needs `make setup`) with its query cache off, so every question
is encoded afresh; otherwise a stand-in burns `--engine-ms` of CPU per question holding the GIL.
Not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import queue
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import emit, percentile, questions

from bot.answers import texts
from tests.fakebotapi import FakeBotApiServer, FakeTelegram
from tests.telegram_support import FakeEngine, polling_bot

GRACE_SECONDS = 3.0  # how long to wait for late or duplicate replies after the last question
# what a reply must never be under load: the error, the timeout, a flood warning
FAILURES = tuple(
    text for table in (texts.ERROR, texts.TIMEOUT, texts.FLOOD) for text in table.values()
)


class CountingTelegram(FakeTelegram):
    """The fake Bot API, also handing every delivered message to the chat's inbox."""

    def __init__(self) -> None:
        super().__init__()
        self.inboxes: dict[int, queue.Queue[tuple[float, str]]] = {}

    def respond(
        self,
        token: str,
        method: str,
        raw: dict[str, Any],
        files: dict[str, tuple[str, bytes, str]] | None = None,
    ) -> tuple[int, bytes]:
        status, body = super().respond(token, method, raw, files)
        if method == "sendMessage" and status == 200:
            result = json.loads(body)["result"]
            inbox = self.inboxes.get(result["chat"]["id"])
            if inbox is not None:
                inbox.put((time.monotonic(), result.get("text", "")))
        return status, body


class Chat(threading.Thread):
    """One person: a question, the reply, then the next question when its turn comes."""

    def __init__(
        self,
        fake: CountingTelegram,
        n: int,
        asked: list[str],
        start: float,
        period: float,
        until: float,
    ) -> None:
        super().__init__(name=f"chat-{n}", daemon=True)
        self.fake, self.asked = fake, asked
        self.user = fake.user(10_000 + n)
        self.chat = fake.private_chat(self.user)
        self.inbox: queue.Queue[tuple[float, str]] = queue.Queue()
        fake.inboxes[self.chat["id"]] = self.inbox
        self.n, self.start_at, self.period, self.until = n, start, period, until
        self.rtts: list[float] = []
        self.questions = 0
        self.bad: list[str] = []
        self.lost = 0

    def run(self) -> None:
        turn = self.start_at
        while True:
            now = time.monotonic()
            if turn > now:
                time.sleep(turn - now)
            if time.monotonic() >= self.until:
                return
            question = self.asked[(self.n * 7 + self.questions) % len(self.asked)]
            sent = time.monotonic()
            self.fake.user_sends(self.chat, self.user, question)
            self.questions += 1
            try:
                at, text = self.inbox.get(timeout=30)
            except queue.Empty:
                self.lost += 1
                return
            self.rtts.append(at - sent)
            if any(failure in text for failure in FAILURES):
                self.bad.append(text)
            turn = max(turn + self.period, time.monotonic())


async def measure(
    engine: Any, chats: int, seconds: float, rate: float, limit: float
) -> dict[str, Any]:
    """One run: the figures and the proof that nothing was dropped."""
    asked = questions()
    fake = CountingTelegram()
    with (
        tempfile.TemporaryDirectory() as tmp,
        FakeBotApiServer(fake, lifetime=seconds + 120) as server,
    ):
        async with polling_bot(
            Path(tmp),
            engine,
            server,
            flood_max_questions=10_000,
            overall_max_rate=limit or 1_000_000.0,
            concurrent_updates=256,
        ):
            warm = Chat(fake, chats, asked, time.monotonic(), 0.0, time.monotonic() + 1.0)
            await asyncio.to_thread(warm.run)
            period = chats / rate
            begin = time.monotonic() + 0.5
            people = [
                Chat(fake, n, asked, begin + period * n / chats, period, begin + seconds)
                for n in range(chats)
            ]
            for person in people:
                person.start()
            for person in people:
                await asyncio.to_thread(person.join)
            wall = time.monotonic() - begin
            await asyncio.sleep(GRACE_SECONDS)
    rtts = [r for p in people for r in p.rtts]
    asked_n = sum(p.questions for p in people)
    extra = sum(p.inbox.qsize() for p in people)
    return {
        "chats": chats,
        "seconds": wall,
        "offered_per_s": rate,
        "limit_per_s": limit,
        "questions": asked_n,
        "replies": len(rtts),
        "replies_per_s": len(rtts) / wall,
        "rtt_p50_ms": 1000 * statistics.median(rtts),
        "rtt_p95_ms": 1000 * percentile(rtts, 0.95),
        "rtt_max_ms": 1000 * max(rtts),
        "unanswered": sum(p.lost for p in people),
        "duplicates": extra,
        "failed_replies": sum(len(p.bad) for p in people),
        # (a long poll cut short when the bot stops is not a reply: getUpdates is left out)
        "api_errors": [
            f"{c.method}: {c.error}" for c in fake.calls if not c.ok and c.method != "getUpdates"
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=40.0, help="questions per second offered")
    parser.add_argument("--limit", type=float, default=0.0, help="messages/s allowed (0: none)")
    parser.add_argument("--engine-ms", type=float, default=20.0)
    parser.add_argument("--real", action="store_true", help="use the real engine")
    parser.add_argument("--reader", action="store_true", help="the real engine, with the reader")
    parser.add_argument("--data-dir", type=Path, help="data folder (default: config.toml's)")
    args = parser.parse_args()
    if args.real or args.reader:
        from common import settings_for, with_reader

        from bot.runtime import open_engine

        settings = settings_for(None, args.data_dir)
        settings = with_reader(settings) if args.reader else settings
        engine: Any = open_engine(settings)
        engine.embedder.query_cache = 0
        reader = ", with the reader" if args.reader else ""
        label = f"real engine ({engine.embedder.backend}{reader}, query cache off)"
    else:
        engine = FakeEngine(delay=args.engine_ms / 1000, busy=True)
        label = f"stand-in engine, {args.engine_ms:g} ms CPU per question"
    figures = asyncio.run(measure(engine, args.chats, args.seconds, args.rate, args.limit))
    limit = f"{args.limit:g} msg/s (as deployed)" if args.limit else "lifted"
    print(
        f"{label}; {args.chats} chats for {figures['seconds']:.0f} s offering {args.rate:g} "
        f"questions/s; rate limit {limit}"
    )
    print(
        f"  {figures['replies_per_s']:.1f} replies/s; "
        f"round trip p50 {figures['rtt_p50_ms']:.0f} ms, "
        f"p95 {figures['rtt_p95_ms']:.0f} ms, max {figures['rtt_max_ms']:.0f} ms"
    )
    print(
        f"  {figures['questions']} questions, {figures['replies']} replies: "
        f"{figures['unanswered']} unanswered, {figures['duplicates']} duplicate, "
        f"{figures['failed_replies']} errors or 'try later', "
        f"{len(figures['api_errors'])} API errors {figures['api_errors'] or ''}"
    )
    emit({"label": label, **figures})


if __name__ == "__main__":
    main()
