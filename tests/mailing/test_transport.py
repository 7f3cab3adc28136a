"""Raw messages handed to a real SMTP server (aiosmtpd on loopback) arrive byte for byte,
whether they go the short way (no line starts with a dot) or through smtplib's escaping."""

import smtplib

import pytest

from bulletin.mailing.transport import sendmail


@pytest.mark.parametrize(
    "body",
    [b"plain line\r\nanother line\r\n", b"plain line\r\n.a line starting with a dot\r\n.\r\n"],
    ids=["no-dot", "dot-lines"],
)
def test_a_raw_message_arrives_as_it_was_sent(smtp_sink, body):
    raw = b"Subject: test\r\nTo: reader@example.com\r\n\r\n" + body
    connection = smtplib.SMTP("127.0.0.1", smtp_sink.port)
    sendmail(connection, "bulletin@example.com", "reader@example.com", raw)
    connection.quit()
    [received] = smtp_sink.to("reader@example.com")
    assert received.sender == "bulletin@example.com"
    assert received.data.rstrip(b"\r\n") == raw.rstrip(b"\r\n")


def test_a_refused_recipient_raises_as_smtplib_does(smtp_sink):
    smtp_sink.replies["gone@example.com"] = ["550 5.1.1 no such mailbox"]
    connection = smtplib.SMTP("127.0.0.1", smtp_sink.port)
    with pytest.raises(smtplib.SMTPDataError) as refused:
        sendmail(connection, "bulletin@example.com", "gone@example.com", b"Subject: x\r\n\r\nx\r\n")
    assert refused.value.smtp_code == 550
    sendmail(connection, "bulletin@example.com", "next@example.com", b"Subject: y\r\n\r\ny\r\n")
    connection.quit()
    assert [r.data.split(b"\r\n")[0] for r in smtp_sink.to("next@example.com")] == [b"Subject: y"]
    assert smtp_sink.to("gone@example.com") == []
