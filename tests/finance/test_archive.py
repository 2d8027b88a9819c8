import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from optovik.core.errors import ApplicationError
from optovik.finance.archive import DocumentFilters, document_list, document_upload
from optovik.finance.models import Document
from optovik.finance.storage import private_storage

from .documents_data import shipment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    """Messages in English whatever an earlier request activated, so tests can read them."""
    with translation.override("en"):
        yield


DAY = dt.date(2026, 10, 15)
PDF = b"%PDF-1.7\n% a scanned contract\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx_bytes(member: str = "word/document.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<document/>")
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    book = Workbook()
    book.active.append(["Счёт", 1])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(company, name: str, content: bytes, **kwargs) -> Document:
    fields = {"legal_entity": company.le1, "kind": "contract", "number": "Д-15/26", "date": DAY, "notify": False}
    return document_upload(file=SimpleUploadedFile(name, content), **(fields | kwargs))


def stored_files() -> list[Path]:
    root = Path(private_storage.location)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("contract.pdf", PDF, "application/pdf"),
        ("scan.PNG", PNG, "image/png"),
        ("letter.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("prices.xlsx", xlsx_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "application/vnd.ms-office"),
    ],
)
def test_pdf_image_and_office_files_are_filed(company, name, content, content_type):
    document = upload(company, name, content, amount="1 200,50")

    assert document.content_type == content_type and document.size == len(content)
    assert document.amount == Decimal("1200.50") and document.file_name == name
    with document.file.open("rb") as handle:
        assert handle.read() == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.pdf", b"", "empty"),
        ("virus.pdf", b"MZ\x90\x00 this is a program", "not a PDF file"),
        ("notes.txt", b"plain text", "Upload a PDF"),
        ("photo.png", PDF, "not a PNG file"),
        ("fake.docx", docx_bytes("other.xml"), "not a DOCX file"),
        ("noext", PDF, "Upload a PDF"),
    ],
)
def test_a_bad_upload_is_refused_with_the_reason_and_nothing_is_stored(company, name, content, message):
    before = stored_files()
    with pytest.raises(ApplicationError, match=message):
        upload(company, name, content)
    assert not Document.objects.exists()
    assert stored_files() == before


def test_a_file_over_the_limit_is_refused(company, settings):
    settings.FINANCE_DOCUMENT_MAX_BYTES = 1024
    with pytest.raises(ApplicationError, match="larger than"):
        upload(company, "big.pdf", PDF + b"0" * 1024)
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [({"number": "  "}, "number"), ({"kind": "secret"}, "type"), ({"amount": "-1"}, "negative")],
)
def test_bad_upload_fields_are_refused(company, fields, message):
    with pytest.raises(ApplicationError, match=message):
        upload(company, "contract.pdf", PDF, **fields)
    assert not Document.objects.exists()


def test_files_are_kept_outside_the_public_media_folder(company):
    document = upload(company, "contract.pdf", PDF)
    path = Path(document.file.path).resolve()
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert "contract" not in path.name  # the stored name is random, not the uploaded one
    with pytest.raises(ValueError, match="no public URL"):
        document.file.url  # noqa: B018


def test_list_filters_and_searches(company):
    upload(company, "a.pdf", PDF, number="Д-15/26", title="Договор поставки")
    upload(
        company, "b.pdf", PDF, number="А-7", kind="other", title="Письмо о скидках", date=DAY - dt.timedelta(days=40)
    )
    upload(company, "c.pdf", PDF, number="Х-1", legal_entity=company.le2)
    les = [company.le1]

    def numbers(**kwargs):
        return [d.number for d in document_list(legal_entities=les, filters=DocumentFilters(**kwargs))]

    assert numbers() == ["Д-15/26", "А-7"]  # le2's document is not listed for a user limited to le1
    assert numbers(kind="other") == ["А-7"]
    assert numbers(q="скидк") == ["А-7"]
    assert numbers(q="15/26") == ["Д-15/26"]
    assert numbers(date_from=DAY - dt.timedelta(days=1)) == ["Д-15/26"]
    assert numbers(date_to=DAY - dt.timedelta(days=1)) == ["А-7"]


def test_documents_page_makes_the_same_queries_for_few_and_many(company, login, django_assert_max_num_queries):
    client = login(company.admin)
    shipment(contract=company.c1, date=DAY)
    for n in range(3):
        upload(company, "a.pdf", PDF, number=f"N-{n}")
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("portal:documents"))
    for n in range(60):
        upload(company, "a.pdf", PDF, number=f"M-{n}")
        if n % 10 == 0:
            shipment(contract=company.c1, date=DAY)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(reverse("portal:documents"))
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_own_document_downloads_and_a_tampered_id_is_not_found(company, login):
    document = upload(company, "contract.pdf", PDF)
    client = login(company.buyer)

    ok = client.get(reverse("portal:document_download", kwargs={"pk": document.pk}))
    missing = client.get(reverse("portal:document_download", kwargs={"pk": document.pk + 1000}))

    assert ok.status_code == 200 and b"".join(ok.streaming_content) == PDF
    assert ok["Content-Type"] == "application/pdf" and ok["X-Content-Type-Options"] == "nosniff"
    assert missing.status_code == 404


def test_purchaser_limited_to_one_legal_entity_cannot_download_the_other(company, login):
    document = upload(company, "contract.pdf", PDF, legal_entity=company.le2)
    response = login(company.buyer).get(reverse("portal:document_download", kwargs={"pk": document.pk}))
    assert response.status_code == 404


def test_a_guessed_media_path_serves_nothing(company, client):
    document = upload(company, "contract.pdf", PDF)
    assert client.get(f"{settings.MEDIA_URL}{document.file.name}").status_code == 404
    assert client.get(f"{settings.MEDIA_URL}../{Path(document.file.path).name}").status_code == 404


def test_issued_upd_downloads_from_the_archive(company, login):
    posted = shipment(contract=company.c1, date=DAY)
    document = Document.objects.get(shipment=posted)
    response = login(company.accountant).get(reverse("portal:document_download", kwargs={"pk": document.pk}))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


@pytest.fixture
def staff(company):
    from optovik.accounts.models import User
    from tests import factories as f

    return f.StaffFactory(staff_role=User.StaffRole.ADMINISTRATOR, is_superuser=True)


def test_back_office_upload_of_a_disguised_file_shows_the_reason_and_stores_nothing(company, staff, login):
    client = login(staff)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    before = stored_files()
    response = client.post(
        reverse("admin:finance_document_add"),
        {
            "legal_entity": company.le1.pk,
            "kind": "other",
            "number": "X-1",
            "date": "2026-10-15",
            "upload": SimpleUploadedFile("report.pdf", b"MZ\x90\x00 a program"),
        },
    )
    assert response.status_code == 200
    assert "not a PDF file" in response.content.decode()
    assert not Document.objects.exists() and stored_files() == before


def test_back_office_upload_files_the_document(company, staff, login):
    client = login(staff)
    response = client.post(
        reverse("admin:finance_document_add"),
        {
            "legal_entity": company.le1.pk,
            "kind": "contract",
            "number": "Д-9",
            "date": "2026-10-15",
            "amount": "1500.00",
            "upload": SimpleUploadedFile("contract.pdf", PDF),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get()
    assert (document.number, document.amount, document.uploaded_by) == ("Д-9", Decimal("1500.00"), staff)


def test_back_office_payment_credits_the_ledger(company, staff, login):
    from optovik.finance.models import LedgerEntry, Payment

    response = login(staff).post(
        reverse("admin:finance_payment_add"),
        {"contract": company.c1.pk, "date": "2026-10-15", "number": "55", "amount": "2500.00", "purpose": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    payment = Payment.objects.get()
    assert payment.ledger_entry.credit == Decimal("2500.00")
    assert LedgerEntry.objects.get().kind == LedgerEntry.Kind.PAYMENT


def test_back_office_posts_a_draft_shipment(company, staff, login):
    from optovik.finance.models import LedgerEntry, Shipment

    draft = shipment(contract=company.c1, date=DAY, post=False)
    response = login(staff).post(
        reverse("admin:finance_shipment_changelist"),
        {"action": "post_shipments", "_selected_action": [draft.pk]},
    )
    assert response.status_code == 302
    assert Shipment.objects.get(pk=draft.pk).status == Shipment.Status.POSTED
    assert LedgerEntry.objects.get().debit == Decimal("1000.00")
