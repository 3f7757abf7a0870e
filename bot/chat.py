"""The local terminal chat: the bot without Telegram, answering through the same engine."""

from __future__ import annotations

import sys
from typing import TextIO

from bot.answers import texts
from bot.answers.render import render_answer
from bot.answers.talk import small_talk_reply
from index.search import Engine


def run_chat(engine: Engine, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> None:
    """Read questions line by line and print the replies a Telegram user would see."""
    interactive = stdin.isatty()
    print(texts.CHAT_GREETING, file=stdout)
    while True:
        if interactive:
            print("\n> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line or line.strip() in {"/exit", "/quit"}:
            break
        if not line.strip():
            continue
        question = line.strip()
        reply = small_talk_reply(question, "kk") or render_answer(engine.answer(question))
        print(reply, file=stdout, flush=True)
    print(texts.CHAT_GOODBYE, file=stdout)
