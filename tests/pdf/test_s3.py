"""PDFs in S3-compatible storage (an S3 server on loopback): the application checks access and
then hands out a signed address that lives a minute."""

import socket
import urllib.parse
import urllib.request

import pytest

from bulletin.pdf import selectors
from bulletin.pdf.models import Rendering
from tests.factories import EntryFactory, IssueFactory, SectionFactory, UserFactory, publish

pytestmark = pytest.mark.django_db
BUCKET = "bulletin-pdf-test"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    pytest.importorskip("storages.backends.s3", reason="needs django-storages[s3]")
    server_module = pytest.importorskip("moto.server", reason="needs moto[server]")
    import boto3

    port = free_port()
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture
def s3_storage(settings, s3_endpoint):
    settings.PDF_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "endpoint_url": s3_endpoint,
            "access_key": "test",
            "secret_key": "test",
            "region_name": "us-east-1",
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            "location": "pdf",
            "signature_version": "s3v4",
        },
    }


@pytest.fixture
def issue(s3_storage, django_capture_on_commit_callbacks):
    issue = IssueFactory(partners_only=True)
    EntryFactory(section=SectionFactory(issue=issue))
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)
    assert Rendering.objects.get(issue=issue).status == Rendering.Status.DONE
    return issue


def test_a_partner_is_sent_to_a_short_lived_signed_address(client, issue):
    client.force_login(UserFactory(roles=["Partner"]))
    response = client.get(selectors.pdf_download(issue).url)
    assert response.status_code == 302
    query = urllib.parse.parse_qs(urllib.parse.urlparse(response["Location"]).query)
    assert query["X-Amz-Expires"] == ["60"]
    assert response["Cache-Control"] == "private, no-store"
    with urllib.request.urlopen(response["Location"]) as s3_response:  # noqa: S310 - loopback
        assert s3_response.read().startswith(b"%PDF-")
        assert "AI-Monthly-2024-08.pdf" in s3_response.headers["Content-Disposition"]


def test_the_storage_is_never_named_to_others(client, issue):
    client.force_login(UserFactory(roles=["Editor"]))
    response = client.get(selectors.pdf_download(issue).url)
    assert response.status_code == 403
    assert "X-Amz" not in response.content.decode()


def test_the_file_itself_is_not_public(issue):
    rendering = Rendering.objects.get(issue=issue)
    from bulletin.pdf.files import pdf_storage

    unsigned = pdf_storage().url(rendering.file_name).split("?")[0]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(unsigned)  # noqa: S310 - loopback
    assert refused.value.code == 403
