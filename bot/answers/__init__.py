"""The citizen's side of the bot: questions answered with quotes, the buttons under them
(whole passage, other sources, 👍/👎), /start, /help, /sources, /ask, and what is recorded of
them (store.py). render.py builds every reply; texts.py holds every word of it."""
