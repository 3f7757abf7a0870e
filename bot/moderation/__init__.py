"""Moderators keep the articles current from Telegram and the command line, safely.

files.py checks what they send, preview.py turns it into a draft article, content.py applies
changes crash-safely (audit log first, then the content file, then the index), roles.py says
who may, reports.py shows what is missing. telegram.py (with access, drafts, dialogue, changes,
commands, keyboards and jobs) and cli.py are the two ways in; render.py and texts.py are every
word a moderator reads.
"""
