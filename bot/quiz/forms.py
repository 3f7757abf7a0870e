"""Questions that read as questions: a source sentence asked about one of its facts.

The fact is replaced, where it stands, by a question word in the same role, and the sentence
keeps its own predicate: «… 1995 жылғы 1 наурызда … құрылды.» → «… қай жылы … құрылды?»
Kazakh allows the question word in the fact's place, so nothing else has to move. Only a fact
whose role has a question word is asked this way:

    N жылы / N ж.  → қай жылы          N жылдан      → қай жылдан
    N жылғы <date or month>            → қай жылы   (the day goes with the year)
    N жылғы <noun> → қай жылғы
    <date>-да, <date>-ында             → қай күні   (a year before it: `N жылы қай күні`)
    <month>-да     → қай айда          <month> айында → қай айында
    N <noun>       → неше <noun>       (a plain count, not a bound such as `N-нан астам`)
    <person>-дың   → кімнің            <person> at the start, the subject → Кім
    «… туралы» Заң / Жарлық            → қандай Заң / Жарлық

The predicate must be the fact's: no clause ends between the fact and the sentence's end (a
comma after a verb form, a dash, a colon), and no quote is left open.
A sentence that starts by pointing back (`Оны`, `Бұл`) is not asked. `grammar_problems` checks
every question the bank holds against these rules.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Final

from bot.quiz import distractors as d
from bot.quiz import facts as f

__all__ = ["QUESTION_WORDS", "about_document", "ask", "framed", "grammar_problems"]

QUESTION_WORDS: Final = ("қай", "кім", "кімнің", "неше", "қандай")
_AFTER_QAI: Final = ("жылы", "жылдан", "жылғы", "күні", "айда", "айында")
_LOW = "а-яёәғқңөұүһі"
_MONTH = "|".join(f.MONTHS)
_ON = r"(?:ында|інде|сында|да|де|та|те| айында)\b"  # "in <month>", "on <day>"
_YEAR_ROLES: Final = (
    (re.compile(rf"^ (?:жылғы|жылдың) (?:\d{{1,2}} )?(?:{_MONTH}){_ON}"), "қай жылы"),
    (re.compile(r"^ (?:жылы\b|ж\.)"), "қай жылы"),
    (re.compile(r"^ жылдан\b"), "қай жылдан"),
    (re.compile(rf"^ жылғы(?= [{_LOW}])"), "қай жылғы"),
)
_YEAR_BEFORE = re.compile(r"(\d{4}) (?:жылғы|жылдың|ж\.) $")
_DOCUMENT_AFTER = re.compile(r"^( Қазақстан Республикасының)? (?:Заң|Жарлығ|конституциялық Заң)")
_TITLE_BEFORE = re.compile(r"(?:Президенті|Елбасы|басшысы|Төрағасы|меңгерушісі)\s*$")
_PLAIN_NOUN_AFTER = re.compile(rf"^ [{_LOW}]")
_LEADS: Final = re.compile(
    r"^(?:Ал|Сонымен қатар|Осымен қатар|Сондай-ақ|Осылайша|Қуантарлығы|Сонымен бірге),?\s+"
)
_POINTING_BACK = re.compile(r"^(?:Бұл|Бұны|Оны|Онда|Ол|Осы|Сол|Одан|Одансоң|Соның|Осыған|Содан)\b")
_PLURAL = re.compile(r"(?:лар|лер|дар|дер|тар|тер)(?:\w*)$")
# Between the fact and the predicate: `;`, `:`, brackets, or a comma after a verb form or a
# postposition (a clause ends there: `…көбейтіп, оның…`, `…сәйкес, Ассамблея…`); a comma in a
# list of nouns (`газет-журнал, 8 тілде…`) is not.
_CLAUSE_BREAK = re.compile(
    r"[;:()]|(?:ып|іп|п|са|се|ды|ді|ты|ті|ған|ген|қан|кен|тын|тін|ады|еді|йды|йді|уі|уы)[,—–]"
    r"|(?:сәйкес|байланысты|қарамастан|үшін|кейін|соң|орай),"
    r"|\s[—–-]\s"
)
_FRAME = re.compile(r" \((\d{4}) жылғы мақала бойынша\)$")


def _role(sentence: str, fact: f.Fact, bound: str) -> tuple[int, int, str] | None:
    """The span to replace and the question word for it, or None when the fact has none."""
    start, end = fact.start, fact.end
    before, after = sentence[:start], sentence[end:]
    if fact.kind == f.YEAR:
        for pattern, word in _YEAR_ROLES:
            if m := pattern.match(after):
                return start, end + m.end(), word
        return None
    if fact.kind in (f.DATE, f.MONTH):
        if fact.kind == f.DATE and fact.case in ("locative", "possessive-locative"):
            word = "қай күні"
        elif fact.kind == f.MONTH and fact.case == "locative":
            word = "қай айда"
        elif fact.kind == f.MONTH and after.startswith(" айында"):
            return start, end + len(" айында"), "қай айында"
        else:
            return None
        if m := _YEAR_BEFORE.search(before):
            return m.start(), end, f"{m[1]} жылы {word}"
        return start, end, word
    if fact.kind == f.NUMBER:
        ok = bound == d.EXACT and not fact.case and _PLAIN_NOUN_AFTER.match(after)
        return (start, end, "неше") if ok else None
    if fact.kind == f.PERSON:
        if _TITLE_BEFORE.search(before):
            return None
        if fact.case == "genitive":
            return start, end, "кімнің"
        return (start, end, "Кім") if not fact.case and not before.strip() else None
    if fact.kind == f.DOCUMENT and (m := _DOCUMENT_AFTER.match(after)):
        return start, end + len(m[1] or ""), f"{m[1].strip()} қандай" if m[1] else "қандай"
    return None


def framed(text: str, year: int | None) -> str:
    """A question about "now", with the year of the article that says it."""
    return f"{text} ({year} жылғы мақала бойынша)" if year else text


def ask(sentence: str, fact: f.Fact, bound: str, year: int | None, room: int) -> str | None:
    """The sentence asked about `fact` (framed with `year` when given), within `room`
    characters; None when the fact's role has no question word or the result would not read."""
    body = sentence.rstrip()
    if not body.endswith(".") or body.endswith(("».", '".', "..")) or _POINTING_BACK.match(body):
        return None
    body = body[:-1]
    role = _role(body, fact, bound)
    if role is None:
        return None
    start, end, word = role
    rest = body[end:]
    if _CLAUSE_BREAK.search(rest) or rest.count("«") != rest.count("»") or rest.count('"') % 2:
        return None  # the predicate may not be the fact's
    head = re.sub(r"\s[-–—]\s$", " ", body[:start])
    lead = _LEADS.match(head)
    if lead:
        head = head[lead.end() :]
    text = f"{head}{word}{rest}?"
    text = text[0].upper() + text[1:]
    text = framed(text, year)
    return text if len(text) <= room and not grammar_problems(text) else None


def grammar_problems(text: str) -> list[str]:
    """What breaks the rules a generated question follows (empty when nothing)."""
    problems = []
    body = _FRAME.sub("", text)
    words = re.findall(rf"[{_LOW}А-ЯЁӘҒҚҢӨҰҮҺІ\d-]+", body)
    asked = [n for n, w in enumerate(words) if w.lower() in QUESTION_WORDS]
    if len(asked) != 1:
        problems.append("a question has exactly one question word")
    if not body.endswith("?") or body.count("?") != 1:
        problems.append("a question ends with its only question mark")
    if not (body[:1].isupper() or body[:1].isdigit() or body[:1] == "«"):
        problems.append("a question starts with a capital letter, a number or a quote")
    if "____" in body or "…" in body or "  " in body or " ?" in body:
        problems.append("a question has no blank, ellipsis or stray space")
    if body.count("«") != body.count("»"):
        problems.append("quotes open and close")
    if re.search(r"\s[-–—]\s(?:қай|кім|неше|қандай)\b", body, re.IGNORECASE):
        problems.append("no dash before the question word")
    for n in asked:
        word, following = words[n].lower(), words[n + 1 : n + 3]
        if word in ("қай", "неше", "қандай") and not following:
            problems.append(f"{word!r} is followed by the noun it asks about")
        elif word == "қай" and following[0] not in _AFTER_QAI:
            problems.append(f"'қай' asks a year, a day or a month, not {following[0]!r}")
        elif word == "қай" and following[0] == "жылы" and re.match(r"\d", following[-1]):
            problems.append("a day is left after 'қай жылы'")
        elif word == "неше" and (following[0][:1].isdigit() or _PLURAL.search(following[0])):
            problems.append(f"'неше' takes a singular noun, not {following[0]!r}")
    return problems


_DOCUMENT_KINDS: Final = (
    ("конституциялық Заң", "конституциялық Заң", "қабылданды"),
    ("Заң", "Заң", "қабылданды"),
    ("Жарлығ", "Жарлық", "шықты"),
)


def about_document(sentence: str, facts: list[f.Fact]) -> list[tuple[f.Fact, str]]:
    """Questions on a named law or decree and the day it was made, when the sentence names
    one document and one year (and at most one day): «"…" Заң қай жылы қабылданды?», and
    with a day, the day of that year and which law was made on that day. The fact each asks
    comes with it, in the case its options take (a day `-да`, a name in «»)."""
    docs = [x for x in facts if x.kind == f.DOCUMENT]
    years = [x for x in facts if x.kind == f.YEAR]
    days = [x for x in facts if x.kind == f.DATE]
    if len(docs) != 1 or len(years) != 1 or len(days) > 1:
        return []
    (doc,), (year,) = docs, years
    after = sentence[doc.end :]
    found = next(
        (
            (name, verb)
            for prefix, name, verb in _DOCUMENT_KINDS
            if re.match(rf"^ (?:Қазақстан Республикасының )?{prefix}", after)
        ),
        None,
    )
    if found is None:
        return []
    name, verb = found
    title = f"«{doc.key}» {name}"
    asked = [(year, f"{title} қай жылы {verb}?")]
    if days:  # which law of a whole year would be a riddle: many were made
        day = replace(days[0], case="locative")
        asked.append((day, f"{title} {year.key} жылы қай күні {verb}?"))
        when = f"{year.key} жылғы {f.render(f.DATE, day.key, day.case, '', f.Names({}))}"
        asked.append((replace(doc, style="«»"), f"{when} қандай {name} {verb}?"))
    return [(fact, text) for fact, text in asked if not grammar_problems(text)]
