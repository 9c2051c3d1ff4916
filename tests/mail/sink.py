#!/usr/bin/python3
"""A local SMTP sink for the tests: takes every message on a loopback port
(Debian's python3-aiosmtpd) and writes each, as received, to a file of its
own in DIR (1.eml, 2.eml, ...), the envelope in a first line
"X-Envelope: FROM -> TO,...". A recipient whose address starts with
"refuse" is refused for good (550), as a relay refuses an unknown mailbox.
Given a user and the password in the environment's SINK_PASSWORD, it takes
mail only after AUTH as that user with that password (535 for any other;
530 for mail without AUTH), as a relay of a mail provider does. Runs until
killed.

    [SINK_PASSWORD=...] sink.py PORT DIR [USER]
"""
import asyncio
import os
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Keep:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refuse"):
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count = len([f for f in os.listdir(self.directory) if f.endswith(".eml")]) + 1
        path = os.path.join(self.directory, f"{self.count}.eml")
        with open(path + ".part", "wb") as f:
            f.write(f"X-Envelope: {envelope.mail_from} -> {','.join(envelope.rcpt_tos)}\r\n".encode())
            f.write(envelope.original_content or envelope.content)
        os.rename(path + ".part", path)  # whole files only
        return "250 Message accepted"


def only(user, password):
    """The authenticator that lets in user with password, and nobody else."""
    def check(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode()
              and auth_data.password == password.encode())
        return AuthResult(success=ok, handled=False)
    return check


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    auth = {}
    if len(sys.argv) > 3:
        # plain AUTH on loopback: the test has no certificate to offer
        auth = dict(authenticator=only(sys.argv[3], os.environ["SINK_PASSWORD"]),
                    auth_required=True, auth_require_tls=False)
    controller = Controller(Keep(directory), hostname="127.0.0.1", port=port, **auth)
    controller.start()
    print("ready", flush=True)
    try:
        asyncio.get_event_loop().run_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
