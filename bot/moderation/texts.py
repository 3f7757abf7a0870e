"""Every word moderators read, in Kazakh, from Telegram and from the command line
(bot/moderation/render.py puts them together).

Texts marked HTML are sent with parse mode HTML: escape anything inserted with `html.escape`.
File refusals are plain text (the command line prints them as they are).
"""

from __future__ import annotations

from typing import Final

# --- who may (plain text) ----------------------------------------------------------------

MODERATORS_ONLY: Final = "Кешіріңіз, бұл команда тек модераторларға арналған."
ADMIN_ONLY: Final = "Кешіріңіз, модераторлар тізімін тек әкімші өзгерте алады."

MODHELP: Final = (  # HTML
    "<b>Модератор командалары</b>\n\n"
    "<b>Мақала қосу.</b> Файлды осы чатқа жіберіңіз: .txt, .md, .docx немесе мәтіні бар .pdf. "
    "Не /add деп жазып, мәтінді хабарлама етіп жіберіңіз. Мен алдын ала көрсетемін, "
    "жетіспейтінін сұраймын, сосын «Қосу» батырмасы шығады.\n"
    "<b>Мақаланы жаңарту.</b> Файлдың атауы мақаланың идентификаторымен бірдей болсын "
    "(мысалы, <code>assembly-role-in-society.md</code>) немесе файлдың жазуына (caption) "
    "идентификаторды жазыңыз.\n\n"
    "/articles — мақалалар, идентификаторлары мен нұсқалары\n"
    "/remove ID — мақаланы алып тастау (мәтіні мен нұсқалары сақталады)\n"
    "/restore ID — алынып тасталған мақаланы қайтару\n"
    "/undo ID — мақаланың соңғы өзгерісін кері қайтару\n"
    "/unanswered — жауапсыз қалған сұрақтар мен 👎 алған жауаптар\n"
    "/stats — пайдалану статистикасы (сурет)\n\n"
    "Әкімшіге: /moderators — тізім, /addmod ID — модератор қосу, /delmod ID — алып тастау."
)

# The command menu a moderator (and an admin) sees in their own chat, after the general one.
MENU: Final = (
    ("articles", "Мақалалар мен олардың нұсқалары"),
    ("add", "Мақаланы мәтінмен қосу"),
    ("remove", "Мақаланы алып тастау: /remove ID"),
    ("restore", "Мақаланы қайтару: /restore ID"),
    ("undo", "Соңғы өзгерісті кері қайтару: /undo ID"),
    ("unanswered", "Жауапсыз қалған сұрақтар"),
    ("stats", "Пайдалану статистикасы"),
    ("modhelp", "Модератор командалары"),
)
ADMIN_MENU: Final = (
    ("moderators", "Модераторлар тізімі"),
    ("addmod", "Модератор қосу: /addmod ID"),
    ("delmod", "Модераторды алып тастау: /delmod ID"),
)

# --- adding: pasted text (plain text) --------------------------------------------------

PASTE_START: Final = (
    "Мақаланың мәтінін хабарлама етіп жіберіңіз. Ұзын мәтін бірнеше хабарламаға бөлінсе де "
    "болады. Бәрін жіберіп болған соң «✅ Дайын» батырмасын басыңыз.\n"
    "Файл да жіберуге болады: .txt, .md, .docx немесе мәтіні бар .pdf."
)
PASTE_GOT: Final = (
    "Қабылдадым, барлығы {chars} таңба. Жалғасы болса, жібере беріңіз; болмаса "
    "«✅ Дайын» батырмасын басыңыз."
)
PASTE_EMPTY: Final = "Әзірге мәтін келген жоқ. Мақаланың мәтінін хабарлама етіп жіберіңіз."
PASTE_NOT_TEXT: Final = (
    "Бұл хабарламада мәтін жоқ, сондықтан мақалаға қоспадым. Мақаланың мәтінін жіберіңіз "
    "немесе «✅ Дайын» батырмасын басыңыз."
)
PASTE_KEPT: Final = (
    "Жіберген мәтініңіз сақтаулы: жалғасын жіберіп, «✅ Дайын» батырмасын басыңыз "
    "немесе «✖️ Бас тарту» арқылы тоқтатыңыз."
)
CHECKING: Final = "⏳ Файлды тексеріп жатырмын…"
DOWNLOAD_FAILED: Final = "Файлды Telegram-нан жүктей алмадым. Қайта жіберіп көріңіз."

BUTTON_DONE: Final = "✅ Дайын"
BUTTON_CANCEL: Final = "✖️ Бас тарту"
BUTTON_ADD: Final = "✅ Қосу"
BUTTON_REPLACE: Final = "🔁 Ауыстыру"
BUTTON_EDIT: Final = {"title": "✏️ Атауы", "source": "✏️ Дереккөзі", "year": "✏️ Жылы"}
BUTTON_NO_YEAR: Final = "Жылы белгісіз"
BUTTON_REMOVE: Final = "🗑 Иә, алып тастау"
BUTTON_RESTORE: Final = "♻️ Иә, қайтару"
BUTTON_UNDO: Final = "↩️ Иә, кері қайтару"

# --- the preview (HTML) ------------------------------------------------------------------

PREVIEW_NEW: Final = "📝 <b>Жаңа мақала: алдын ала қарау</b>"
PREVIEW_REPLACE: Final = (
    "📝 <b>Мақаланы жаңарту: алдын ала қарау</b>\n"
    "Қазір {version}-нұсқасы тұр. Жаңасы {next}-нұсқа болады, бұрынғылары сақталады."
)
PREVIEW_FIELDS: Final = (
    "<b>Атауы:</b> {title}\n"
    "<b>Дереккөзі:</b> {source}\n"
    "<b>Жылы:</b> {year}\n"
    "<b>Идентификаторы:</b> <code>{id}</code>\n"
    "<b>Көлемі:</b> {chars} таңба, {sentences} сөйлем, {chunks} бөлік"
)
NOT_FOUND: Final = "— табылмады"
YEAR_UNKNOWN: Final = "белгісіз"
PREVIEW_FIXES: Final = "<b>Түзетілген ақаулар:</b> {fixes}"
PREVIEW_NO_FIXES: Final = "<b>Түзетілген ақаулар:</b> жоқ, мәтін таза"
PREVIEW_NOTES: Final = "<b>Мәтінді оқығанда:</b> {notes}"
PREVIEW_START: Final = "<b>Басы:</b>\n<blockquote>{excerpt}</blockquote>"
PREVIEW_MISSING: Final = "❗ Қосу үшін мақаланың {missing} жазыңыз."
PREVIEW_MISSING_REPLACE: Final = "❗ Ауыстыру үшін мақаланың {missing} жазыңыз."
PREVIEW_CHANGES: Final = "<b>Өзгерген жерлер</b> ({count}):\n{changes}"
PREVIEW_CHANGE: Final = "• «{before}» → «{after}»"
PREVIEW_NO_CHANGES: Final = "<b>Өзгерген жерлер:</b> мәтін қазіргі нұсқамен бірдей"
PREVIEW_READY: Final = "Бәрі дұрыс болса, «{button}» батырмасын басыңыз."

# The text repairs of index/normalize.py, by kind (the article file itself is never changed).
FIXES: Final = {
    "homoglyph_words": "латын әріптері араласқан сөздер",
    "broken_lines": "үзіліп қалған жолдар",
    "dot_breaks": "«..» белгісімен бөлінген абзацтар",
    "duplicate_paragraphs": "қайталанған абзацтар",
    "duplicate_words": "қатар қайталанған сөздер",
    "glued_sentences": "бос орынсыз жабысқан сөйлемдер",
    "invisible_chars": "көрінбейтін таңбалар",
    "odd_spaces": "ерекше бос орындар",
    "extra_spaces": "артық бос орындар",
    "unicode_nfc": "әріптердің құрама жазылуы",
}
NOTES: Final = {
    "kz1048": "кодтауы Windows (KZ-1048) екен, UTF-8-ге айналдырдым",
    "utf16": "кодтауы UTF-16 екен, UTF-8-ге айналдырдым",
    "front_matter": "файлдың басындағы атауы мен дереккөзін алдым",
    "title_line": "атауын мәтіннің бірінші жолынан алдым",
    "html": "веб-бет екен, белгілерін (тегтерін) алып тастап, мәтінін ғана алдым",
    "front_matter_broken": (
        "файлдың басындағы мәліметтер (--- арасындағы) дұрыс жазылмаған, оларды алмадым: "
        "әр жолды «title: …», «source: …», «year: …» түрінде жазып, блокты --- жолымен жабыңыз"
    ),
    "kept_fields": "атауы, дереккөзі мен жылы қазіргі нұсқадан қалды (файлда жоқ)",
}
MISSING: Final = {"title": "атауын", "source": "дереккөзін"}
AND: Final = " және "

ASK: Final = {
    "title": "Мақаланың атауын жазып жіберіңіз.",
    "source": (
        "Мақала қайдан алынды? Дереккөзін жазып жіберіңіз: газеттің, сайттың (сілтемесімен) "
        "немесе кітаптың атауы."
    ),
    "year": (
        "Мақала қай жылы жазылды? Жылды төрт цифрмен жазыңыз, мысалы: 2015. "
        "Белгісіз болса, «Жылы белгісіз» батырмасын басыңыз."
    ),
}
# A message that cannot be the field asked for: nothing is stored and the question stands.
NOT_AN_ANSWER: Final = {
    "question": (
        "Бұл сұраққа ұқсайды, сондықтан оны {what} ретінде сақтамадым.\n{ask}\n"
        "Сұрақ қою үшін алдымен мақаланы қосып бітіріңіз немесе алдын ала қараудағы "
        "«✖️ Бас тарту» батырмасын басыңыз."
    ),
    "no_words": "Мұнда бірде-бір сөз жоқ, сондықтан оны {what} ретінде сақтамадым.\n{ask}",
}
FIELD_WHAT: Final = {"title": "мақаланың атауы", "source": "дереккөз"}
BAD_YEAR: Final = "Жылды төрт цифрмен жазыңыз, мысалы: 2015 (1800 бен 2100 аралығында)."
BAD_FIELD: Final = "Бір жолмен, {limit} таңбадан асырмай жазыңыз."
NEED_FIELDS: Final = "Алдымен мақаланың {missing} жазыңыз."  # a button toast

# --- applying changes (HTML) ---------------------------------------------------------------

WORKING: Final = (
    "⏳ Сақтап, индексті жаңартып жатырмын. Бұл бірнеше секунд алады; осы уақытта бот "
    "бұрынғы мақалалармен жауап бере береді."
)
ADDED: Final = (
    "✅ Мақала қосылды: «{title}» (<code>{id}</code>, {version}-нұсқа). "
    "Енді осы мақаладан да жауап беремін.\nКері қайтару: /undo {id}"
)
REPLACED: Final = (
    "✅ Мақала жаңартылды: «{title}» (<code>{id}</code>), {before}-нұсқаның орнына "
    "{version}-нұсқа. Бұрынғы нұсқасы сақталды.\nКері қайтару: /undo {id}"
)
REMOVED: Final = (
    "🗑 Мақала алынып тасталды: «{title}» (<code>{id}</code>). Бот енді одан жауап бермейді, "
    "мәтіні мен нұсқалары сақталды.\nҚайтару: /restore {id}"
)
RESTORED: Final = (
    "♻️ Мақала қайтарылды: «{title}» (<code>{id}</code>), енді {version}-нұсқасы тұр."
    "\nКері қайтару: /undo {id}"
)
UNDONE_REMOVED: Final = (
    "↩️ Кері қайтарылды: «{title}» (<code>{id}</code>) мақаласы алынып тасталды, "
    "мәтіні мен нұсқалары сақталды. Қайтару: /restore {id}"
)
UNDONE_VERSION: Final = (
    "↩️ Кері қайтарылды: «{title}» (<code>{id}</code>) мақаласының {source}-нұсқасының "
    "мәтіні қайта тұрды (жаңа нөмірі — {version})."
)
FAILED: Final = "❌ Өзгеріс сақталмады: {reason}\nБот бұрынғы мақалалармен жауап бере береді."
RECOVERED: Final = (
    "♻️ Бот тоқтап қалғанда аяқталмай қалған өзгеріс аяқталды: <code>{id}</code> "
    "мақаласы, қазір {version} нұсқа."
)
PRIVATE_ONLY: Final = (
    "Модерация командалары тек менімен жеке чатта жұмыс істейді: @{bot} ашып, сол жерде жазыңыз."
)
CANCELLED: Final = "Бас тартылды. Ештеңе өзгерген жоқ."
REQUEST_GONE: Final = "Бұл сұраным ескірген немесе орындалып қойған."  # a button toast
BUSY: Final = "Бұл сұраным қазір орындалып жатыр."  # a button toast

# --- confirmations (HTML) ----------------------------------------------------------------

CONFIRM_REMOVE: Final = (
    "«{title}» (<code>{id}</code>, {version}-нұсқа) мақаласын алып тастайын ба?\n"
    "Бот бұдан былай одан жауап бермейді, бірақ мәтіні мен барлық нұсқалары сақталады: "
    "/restore {id} арқылы қайтаруға болады."
)
CONFIRM_RESTORE: Final = (
    "«{title}» (<code>{id}</code>) мақаласын қайтарайын ба? Оның соңғы, {version}-нұсқасының "
    "мәтіні қайта тұрады."
)
CONFIRM_UNDO: Final = (
    "<b>Соңғы өзгеріс:</b> {change}\n<b>Кері қайтарсам:</b> {result}\nКері қайтарайын ба?"
)
CHANGE: Final = {
    "add": "{at} мақала қосылды ({after}-нұсқа)",
    "replace": "{at} {before}-нұсқаның орнына {after}-нұсқа қойылды",
    "remove": "{at} мақала алынып тасталды",
    "restore": "{at} мақала қайтарылды ({after}-нұсқа)",
}
UNDO_TO_REMOVED: Final = "мақала алынып тасталады (мәтіні мен нұсқалары сақталады)"
UNDO_TO_VERSION: Final = "{version}-нұсқасының мәтіні қайта тұрады"
NOTHING_TO_UNDO: Final = "<code>{id}</code> мақаласында кері қайтаратын өзгеріс жоқ."
NO_ARTICLE: Final = "<code>{id}</code> деген мақала жоқ. Мақалалар тізімі: /articles"
ALREADY_REMOVED: Final = "Бұл мақала алынып тасталған. Қайтару: /restore {id}"
NOT_REMOVED: Final = "Бұл мақала алынып тасталмаған, бот одан қазір де жауап береді."
USAGE_ID: Final = (
    "Мақаланың идентификаторын команданың артынан жазыңыз, мысалы:\n"
    "/{command} assembly-role-in-society\nМақалалар тізімі: /articles"
)

# --- lists and reports (HTML) ------------------------------------------------------------

ARTICLES_HEADER: Final = "📚 <b>Мақалалар</b> ({count}):"
ARTICLE_LINE: Final = "{n}. <code>{id}</code> — {title}{year} · {version}-нұсқа · {chunks} бөлік"
REMOVED_HEADER: Final = "\n🗑 <b>Алынып тасталғандар</b> (қайтару: /restore ID):"
REMOVED_LINE: Final = "• <code>{id}</code> — {title} · {version}-нұсқа"
ARTICLES_EMPTY: Final = "Әзірге бірде-бір мақала жоқ. Қосу үшін файл жіберіңіз не /add деп жазыңыз."

UNANSWERED_HEADER: Final = "❔ <b>Жауап табылмаған сұрақтар</b> (соңғы {count}):"
DISLIKED_HEADER: Final = "\n👎 <b>Ұнамаған жауаптар</b> (соңғы {count}):"
REPORT_LINE: Final = "• {at} — {question}"
UNANSWERED_EMPTY: Final = "Жауапсыз қалған сұрақ та, 👎 алған жауап та әзірге жоқ."
UNANSWERED_HINT: Final = (
    "\nОсы сұрақтарға жауап беретін мақала болса, файлын жіберіңіз — бот үйреніп алады."
)

STATS_CAPTION: Final = (
    "📊 <b>Соңғы {days} күн</b>\n"
    "Сұрақтар: {questions}, оның {answered} жауап алды ({share}%).\n"
    "Пікірлер: 👍 {up}, 👎 {down}."
)
STATS_EMPTY: Final = "Соңғы {days} күнде бірде-бір сұрақ келмеген."
# the words on the /stats chart (plain text, drawn by matplotlib)
CHART_TITLE: Final = "Күн сайынғы сұрақтар, {first} – {last}"
CHART_X: Final = "Күн (UTC бойынша)"
CHART_Y: Final = "Сұрақтар саны"
CHART_ANSWERED: Final = "Жауап берілген"
CHART_DECLINED: Final = "Жауапсыз қалған"

# --- moderators (admin, HTML) --------------------------------------------------------------

MODERATORS_HEADER: Final = "👥 <b>Модераторлар</b>"
MODERATOR_LINE: Final = "• <code>{id}</code>{note}"
FROM_CONFIG: Final = " (config.toml-да)"
ADMIN_NOTE: Final = " (әкімші)"
MOD_USAGE: Final = "Пайдаланушының Telegram id-ін жазыңыз, мысалы: /{command} 123456789"
MOD_ADDED: Final = "✅ <code>{id}</code> модератор болды."
MOD_REMOVED: Final = "✅ <code>{id}</code> енді модератор емес."
MOD_IN_CONFIG: Final = (
    "<code>{id}</code> config.toml-да жазылған; оны сол файлдан алып тастау керек."
)
MOD_UNKNOWN: Final = "<code>{id}</code> модераторлар тізімінде жоқ."

# --- file checks (plain text) --------------------------------------------------------------

FILE_EMPTY: Final = (
    "Файл бос екен: ішінде бірде-бір таңба жоқ. Мақаланың мәтіні сақталған файлды қайта "
    "жіберіңіз немесе /add деп жазып, мәтінін хабарлама етіп жіберіңіз."
)
FILE_TOO_BIG: Final = "Файл тым үлкен: {size} МБ. Ең көбі {limit} МБ болуы керек."
FILE_UNSUPPORTED: Final = (
    "Бұл файл түрін оқи алмаймын. Мақаланы .txt, .md, .docx немесе мәтіні бар .pdf файлымен "
    "жіберіңіз."
)
FILE_MISMATCH: Final = (
    "Файлдың атауы {extension} деп тұр, бірақ ішінде {real}. Файлды дұрыс форматта қайта "
    "сақтап, жіберіңіз."
)
KIND_NAMES: Final = {
    "pdf": "PDF құжаты",
    "docx": "Word құжаты",
    "text": "жай мәтін",
    "zip": "архив",
    "archive": "архив",
    "image": "сурет",
    "ole": "ескі Office файлы",
}
FILE_ARCHIVE: Final = (
    "Бұл — архив. Архивтің ішіндегі мақаланы бөлек файл етіп (.txt, .md, .docx немесе .pdf) "
    "жіберіңіз."
)
FILE_IMAGE: Final = (
    "Бұл — сурет, одан мәтін оқи алмаймын. Мақаланы мәтін ретінде (.txt, .md, .docx "
    "немесе мәтіні бар .pdf) жіберіңіз."
)
FILE_OLD_DOC: Final = (
    "Бұл — ескі Word (.doc) не басқа Office файлы. Оны Word-та .docx етіп сақтап, қайта жіберіңіз."
)
FILE_ENCRYPTED_OFFICE: Final = (
    "Word файлы құпиясөзбен қорғалған. Құпиясөзді алып тастап, қайта жіберіңіз."
)
FILE_BOMB: Final = (
    "Файлдың іші ашқанда тым үлкен болып шығады ({size} МБ). Мұндай файлды қабылдамаймын; "
    "мақаланы жай Word не мәтін файлымен жіберіңіз."
)
FILE_DOCX_BROKEN: Final = (
    "Word файлы бүлінген, ашылмады. Оны Word-та ашып, .docx етіп қайта сақтаңыз да, "
    "қайта жіберіңіз."
)
FILE_PDF_BROKEN: Final = "PDF файлы бүлінген, ашылмады."
FILE_PDF_ENCRYPTED: Final = "PDF файлы құпиясөзбен қорғалған. Құпиясөзсіз нұсқасын жіберіңіз."
FILE_PDF_PAGES: Final = "PDF файлында {pages} бет бар; ең көбі {limit} бет болуы керек."
FILE_PDF_NO_TEXT: Final = (
    "PDF файлында мәтін қабаты жоқ: бұл сканерленген сурет сияқты. Мәтіні бар PDF, "
    "Word не мәтін файлын жіберіңіз."
)
FILE_ENCODING: Final = (
    "Мәтіннің кодтауын анықтай алмадым. Файлды UTF-8 кодтауымен сақтап, қайта жіберіңіз."
)
FILE_BINARY: Final = (
    "Бұл мәтін файлы емес: ішінде оқылмайтын деректер бар. Мақаланы .txt (UTF-8), .md, .docx "
    "немесе мәтіні бар .pdf етіп сақтап, қайта жіберіңіз."
)
TEXT_TOO_SHORT: Final = "Мәтін тым қысқа ({chars} таңба). Мақала кемінде {limit} таңба болуы керек."
TEXT_TOO_LONG: Final = (
    "Мәтін тым ұзын ({chars} таңба); ең көбі {limit} таңба. Мақаланы бөліктерге бөліп жіберіңіз."
)
TEXT_NOT_READABLE: Final = (
    "Мәтінде әріп өте аз екен, бұл оқылатын мақалаға ұқсамайды. Мақаланың өз мәтінін "
    "жіберіңіз: .txt, .md, .docx немесе мәтіні бар .pdf файлымен не /add арқылы."
)

# --- refused changes (plain text; bot/moderation/content.py) ------------------------------

EXISTS: Final = "{id}: мұндай мақала бар. Жаңа нұсқасын қою үшін оны ауыстыру керек."
ABSENT: Final = "{id}: мұндай мақала жоқ не ол алынып тасталған"
NO_VERSION: Final = "{id}: {version}-нұсқасы жоқ"
ALREADY_CURRENT: Final = "{id}: {version}-нұсқасы қазір де тұр"
NOTHING_TO_UNDO_PLAIN: Final = "{id}: кері қайтаратын өзгеріс жоқ"

# --- the command line (plain text; bot/moderation/cli.py) --------------------------------

CLI_REMOVED: Final = "алынып тасталды"
CLI_OUTCOME: Final = "{action} {id}: {before} → {after} (аудит #{change})"
CLI_UNREADABLE: Final = "{path}: файл оқылмады ({reason})"
CLI_BAD_YEAR: Final = "--year: жылды төрт цифрмен жазыңыз, мысалы 2015"
CLI_MISSING: Final = "{name}: атауы не дереккөзі табылмады; қосыңыз: {flags}"
CLI_NO_FIXES: Final = "жоқ"
CLI_NO_YEAR: Final = "жылы белгісіз"
CLI_DRAFT: Final = (
    "{id}: «{title}», {source}, {year}; {chars} таңба, {sentences} сөйлем, {chunks} бөлік; "
    "түзетулер: {fixes}"
)
CLI_REMOVED_MARK: Final = "  [алынып тасталған]"
CLI_ARTICLE: Final = "{id}  v{version}  {chunks} бөлік  {title}{year}{mark}"
