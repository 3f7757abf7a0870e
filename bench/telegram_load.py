"""Load figures for the Telegram bot, through the fake Bot API over real HTTP on 127.0.0.1.

    .venv/bin/python bench/telegram_load.py [--chats 20] [--questions 5] [--engine-ms 20] [--real]

Prints the round trip of one question (the user's message appearing in getUpdates to the
bot's sendMessage reaching the server), then replies per second and the p95 round trip with
`--chats` chats asking at once, each asking `--questions` questions one after the other.
Runs twice: with Telegram's limits (AIORateLimiter at 30 messages/s, as deployed) and with them
lifted (what the bot itself can do). The default engine is a stand-in that burns `--engine-ms`
of CPU per question while holding the GIL; `--real` uses the real engine (needs `make setup`).
Not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fakebotapi import Call, FakeBotApiServer, FakeTelegram  # noqa: E402
from tests.telegram_support import FakeEngine, polling_bot  # noqa: E402

QUESTIONS = (
    "Ассамблея қашан құрылды?",
    "Ассамблеяның негізгі міндеті қандай?",
    "Ассамблея Мәжіліске неше депутат сайлайды?",
    "Неше тілде радиобағдарламалар шығады?",
    "Когда была создана Ассамблея?",
)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def ask(
    fake: FakeTelegram, chat: dict[str, Any], user: dict[str, Any], count: int, rtts: list[float]
) -> None:
    """One user: ask `count` questions, each after the previous answer arrived."""

    def mine(call: Call) -> bool:
        return call.ok and call.result["chat"]["id"] == chat["id"]

    before = len([c for c in fake.calls_of("sendMessage") if mine(c)])
    for n in range(count):
        started = time.monotonic()
        fake.user_sends(chat, user, QUESTIONS[n % len(QUESTIONS)])
        calls = fake.wait_for("sendMessage", mine, count=before + n + 1, timeout=60)
        rtts.append(calls[before + n].at - started)


async def measure(engine: Any, chats: int, questions: int, rate: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp, FakeBotApiServer(lifetime=600) as server:
        async with polling_bot(
            Path(tmp),
            engine,
            server,
            flood_max_questions=10_000,
            overall_max_rate=rate,
            concurrent_updates=256,
        ) as h:
            fake = h.fake
            user = fake.user(1)
            chat = fake.private_chat(user)
            await asyncio.to_thread(ask, fake, chat, user, 3, [])  # warm up
            single: list[float] = []
            await asyncio.to_thread(ask, fake, chat, user, 30, single)
            rtts: list[float] = []
            people = [fake.user(1000 + i) for i in range(chats)]
            threads = [
                threading.Thread(target=ask, args=(fake, fake.private_chat(p), p, questions, rtts))
                for p in people
            ]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                await asyncio.to_thread(thread.join)
            wall = time.monotonic() - started
    return {
        "single_median_ms": 1000 * statistics.median(single),
        "single_p95_ms": 1000 * percentile(single, 0.95),
        "replies_per_s": len(rtts) / wall,
        "load_median_ms": 1000 * statistics.median(rtts),
        "load_p95_ms": 1000 * percentile(rtts, 0.95),
        "replies": len(rtts),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chats", type=int, default=20)
    parser.add_argument("--questions", type=int, default=5)
    parser.add_argument("--engine-ms", type=float, default=20.0)
    parser.add_argument("--real", action="store_true", help="use the real engine")
    args = parser.parse_args()
    if args.real:
        from bot.config import load_settings
        from bot.runtime import open_engine

        engine: Any = open_engine(load_settings(), progress=False)
        engine.answer(QUESTIONS[0])
        label = "real engine"
    else:
        engine = FakeEngine(delay=args.engine_ms / 1000, busy=True)
        label = f"stand-in engine, {args.engine_ms:g} ms CPU per question"
    print(f"{label}; {args.chats} chats x {args.questions} questions")
    for name, rate in (("Telegram's limits (30 msg/s)", 30.0), ("limits lifted", 100_000.0)):
        figures = asyncio.run(measure(engine, args.chats, args.questions, rate))
        print(f"\n{name}:")
        print(
            f"  one question, round trip: median {figures['single_median_ms']:.1f} ms,"
            f" p95 {figures['single_p95_ms']:.1f} ms"
        )
        print(
            f"  {args.chats} chats at once: {figures['replies_per_s']:.1f} replies/s,"
            f" round trip median {figures['load_median_ms']:.1f} ms,"
            f" p95 {figures['load_p95_ms']:.1f} ms ({figures['replies']:.0f} replies)"
        )


if __name__ == "__main__":
    main()
