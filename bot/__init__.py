"""The people-facing side: command line, local chat, Telegram, quizzes, moderation."""
