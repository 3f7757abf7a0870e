"""File checks: the real type from the bytes, sizes, encodings, Word bombs, locked or scanned
PDFs; each refusal in Kazakh, nothing stored."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from bot.moderation import texts
from bot.moderation.files import FileCheckError, Limits, read_document
from tests.moderation_support import ARTICLE, text_pdf

LIMITS = Limits(max_bytes=200_000, max_unpacked_bytes=1_000_000)


def refused(name: str, data: bytes, limits: Limits = LIMITS) -> str:
    with pytest.raises(FileCheckError) as caught:
        read_document(name, data, limits)
    return str(caught.value)


def word_file(title: str = "Достық үйлері", body: str = ARTICLE) -> bytes:
    document = docx.Document()
    document.add_heading(title, level=1)
    for paragraph in body.split("\n\n")[1:]:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_utf8_text_with_a_bom_and_windows_line_ends_is_read() -> None:
    data = "\ufeff".encode() + ARTICLE.replace("\n", "\r\n").encode()
    extracted = read_document("a.txt", data, LIMITS)
    assert extracted.text.startswith("Достық үйлері\n") and "\r" not in extracted.text


def test_the_windows_kazakh_code_page_is_converted_and_said() -> None:
    extracted = read_document("a.txt", ARTICLE.encode("kz1048"), LIMITS)
    assert extracted.text == ARTICLE and extracted.notes == ("kz1048",)


def test_a_word_file_gives_its_heading_as_the_title() -> None:
    extracted = read_document("a.docx", word_file(), LIMITS)
    assert extracted.kind == "docx" and extracted.meta == {"title": "Достық үйлері"}
    assert "Алматы қаласында ашылды" in extracted.text


def test_a_pdf_text_layer_is_read() -> None:
    extracted = read_document("a.pdf", text_pdf(ARTICLE), LIMITS)
    assert "Алматы қаласында" in extracted.text.replace("\n", " ")


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("a.txt", b"", texts.FILE_EMPTY),
        ("a.txt", b"x" * 200_001, "тым үлкен"),
        ("a.pdf", ARTICLE.encode(), "ішінде жай мәтін"),
        ("a.txt", b"%PDF-1.4 ...", "ішінде PDF"),
        ("a.exe", ARTICLE.encode(), texts.FILE_UNSUPPORTED),
        ("a.txt", b"\x89PNG\r\n\x1a\n" + b"0" * 300, texts.FILE_IMAGE),
        ("a.txt", b"\x1f\x8b" + b"0" * 300, texts.FILE_ARCHIVE),
        ("a.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 300, texts.FILE_ENCRYPTED_OFFICE),
        ("a.txt", bytes(range(256)) * 4, texts.FILE_BINARY),
        ("a.txt", "Қысқа мәтін.".encode(), "тым қысқа"),
        ("a.txt", ("12345 67890 " * 50).encode(), texts.TEXT_NOT_READABLE),
        (
            "a.txt",
            ("Ça fait très longtemps, élève à Genève. " * 10).encode("latin-1"),
            texts.FILE_ENCODING,
        ),
    ],
)
def test_bad_files_are_refused_with_a_reason(name: str, data: bytes, expected: str) -> None:
    assert expected in refused(name, data)


def test_a_plain_zip_is_an_archive_not_a_word_file() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("article.txt", ARTICLE)
    assert refused("a.docx", out.getvalue()) == texts.FILE_ARCHIVE


def test_a_word_file_that_unpacks_too_far_is_refused_before_unpacking() -> None:
    source = zipfile.ZipFile(io.BytesIO(word_file()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            bomb.writestr(info, source.read(info))
        bomb.writestr("word/media/padding.bin", b"\0" * 5_000_000)
    assert "тым үлкен болып шығады" in refused("a.docx", out.getvalue())


def test_an_aes_pdf_that_only_forbids_copying_is_read_and_a_locked_one_refused() -> None:
    def encrypted(user_password: str) -> bytes:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(ARTICLE))))
        writer.encrypt(user_password, owner_password="иесі", algorithm="AES-256")
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    read = read_document("a.pdf", encrypted(""), LIMITS)  # opens without a password
    assert "Достық үйі 1999 жылы Алматы қаласында ашылды" in " ".join(read.text.split())
    assert refused("a.pdf", encrypted("құпия")) == texts.FILE_PDF_ENCRYPTED


def test_locked_and_scanned_pdfs_are_refused() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(ARTICLE))))
    writer.encrypt("құпия", algorithm="RC4-128")
    locked = io.BytesIO()
    writer.write(locked)
    assert refused("a.pdf", locked.getvalue()) == texts.FILE_PDF_ENCRYPTED
    scan = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(scan, format="PDF")
    assert refused("a.pdf", scan.getvalue()) == texts.FILE_PDF_NO_TEXT
    assert refused("a.pdf", b"%PDF-1.4\n garbage") == texts.FILE_PDF_BROKEN
