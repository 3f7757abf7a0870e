"""The shared Telegram base under every feature (python-telegram-bot 22): services and worker
threads, sending within Telegram's limits, languages, forum topics, flood and rate control,
typed callback data, the error handler. It imports no feature; bot/app.py assembles them."""
