import io

from bot.answers import texts
from bot.answers.render import render_answer
from bot.chat import run_chat
from index.answer import Answer, Quote, Source

SOURCE = Source("a", "Ассамблея <тарихы> & бүгіні", 2015)
OTHER = Source("b", "Екінші мақала", None)


def quote(text: str, *sources: Source) -> Quote:
    return Quote(text, sources or (SOURCE,), 0.9, 1)


def test_html_reply_escapes_quotes_and_titles() -> None:
    reply = render_answer(Answer("?", (quote("1 < 2 & <b>бұл</b> сөз"),)), html=True)
    assert "<blockquote>1 &lt; 2 &amp; &lt;b&gt;бұл&lt;/b&gt; сөз</blockquote>" in reply
    assert "— <i>Ассамблея &lt;тарихы&gt; &amp; бүгіні</i> (2015)" in reply


def test_plain_reply_names_every_source_with_its_year() -> None:
    reply = render_answer(Answer("?", (quote("Мәтін.", SOURCE, OTHER),)))
    assert reply == "«Мәтін.»\n— Ассамблея <тарихы> & бүгіні (2015); Екінші мақала"


def test_a_russian_question_is_told_the_quote_is_in_kazakh() -> None:
    reply = render_answer(Answer("?", (quote("Мәтін."),), lang="ru"))
    assert reply.startswith("Ответ — цитата из статьи на казахском языке:")


def test_declining_says_so_and_offers_topics_in_the_users_language() -> None:
    kk = render_answer(Answer("?", (), suggestions=("Бірінші тақырып",)))
    assert kk.startswith("Кешіріңіз, бұл сұрақтың жауабын мақалалардан таппадым.")
    assert "• Бірінші тақырып" in kk
    ru = render_answer(Answer("?", (), lang="ru", suggestions=("Тақырып",)))
    assert ru.startswith("К сожалению, в статьях нет ответа")


def test_a_long_reply_is_cut_cleanly_within_the_limit() -> None:
    long = quote("сөз " * 2000)
    reply = render_answer(Answer("?", (long, quote("екінші"))), html=True, limit=4096)
    assert len(reply) <= 4096
    assert reply.count("<blockquote>") == reply.count("</blockquote>") == 1
    assert "…" in reply and reply.rstrip().endswith("(2015)")


def test_the_terminal_chat_answers_each_line_and_says_goodbye() -> None:
    class Engine:
        def answer(self, question: str) -> Answer:
            return Answer(question, (quote(f"жауап: {question}"),))

    out = io.StringIO()
    run_chat(Engine(), io.StringIO("бірінші\n\n/exit\nекінші\n"), out)  # type: ignore[arg-type]
    text = out.getvalue()
    assert "«жауап: бірінші»" in text and "екінші" not in text
    assert text.rstrip().endswith("Сау болыңыз!")


def test_the_terminal_chat_answers_thanks_in_kind_as_telegram_does() -> None:
    class Engine:
        def answer(self, question: str) -> Answer:
            raise AssertionError(f"searched: {question}")

    out = io.StringIO()
    run_chat(Engine(), io.StringIO("Рахмет!\nспасибо\n"), out)  # type: ignore[arg-type]
    assert texts.THANKS_REPLY["kk"] in out.getvalue()
    assert texts.THANKS_REPLY["ru"] in out.getvalue()


def test_small_talk_gets_what_the_bot_does_instead_of_a_refusal() -> None:
    reply = render_answer(Answer("Сәлем!", (), suggestions=("Тақырып",), small_talk=True))
    assert reply.startswith("Мен Қазақстан халқы Ассамблеясы туралы сұрақтарға")
    assert "Кешіріңіз" not in reply and "• Тақырып" in reply
