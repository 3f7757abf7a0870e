"""Moderators keep the articles current from Telegram and the command line, safely.

files.py checks what they send, preview.py turns it into a draft article, content.py applies
changes crash-safely (audit log first, then the content file, then the index), roles.py says
who may, telegram.py and cli.py are the two ways in, reports.py shows what is missing.
"""
