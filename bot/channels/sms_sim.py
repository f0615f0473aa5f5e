"""`python -m bot.channels.sms_sim`: text the navigator from a terminal, like a phone.

Each line you type is sent to the SMS webhook exactly as Twilio sends it (form fields,
a fresh MessageSid, and an X-Twilio-Signature made with TWILIO_AUTH_TOKEN); the TwiML
answer is printed the way a phone shows texts. Ctrl-D or Ctrl-C ends.

    TWILIO_AUTH_TOKEN=... python -m bot.channels.sms_sim --from "+1 503 555 0100"
"""

from __future__ import annotations

import argparse
import os
import sys
import uuid
import xml.etree.ElementTree as ET

import requests
from twilio.request_validator import RequestValidator

from bot.channels.sms import e164


def send(url: str, signed_url: str, token: str, sender: str, to: str, body: str) -> list:
    params = {"From": sender, "To": to, "Body": body, "MessageSid": f"SM{uuid.uuid4().hex}",
              "AccountSid": "ACsimulator", "NumMedia": "0"}
    signature = RequestValidator(token).compute_signature(signed_url, params)
    reply = requests.post(url, data=params, headers={"X-Twilio-Signature": signature},
                          timeout=20)
    if reply.status_code != 200:
        raise RuntimeError(f"the webhook answered {reply.status_code}: {reply.text[:200]}")
    return [m.text or "" for m in ET.fromstring(reply.text).iter("Message")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.channels.sms_sim", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    rasa = f"http://localhost:{os.environ.get('NAVIGATOR_RASA_PORT', '5005')}"
    parser.add_argument("--url", default=f"{rasa}/webhooks/sms/webhook",
                        help="where to post (default: %(default)s)")
    parser.add_argument("--signed-url", help="URL to sign, when the server sees a "
                        "different one behind a proxy (default: --url)")
    parser.add_argument("--from", dest="sender", default="+15035550100",
                        help="the phone you text from")
    parser.add_argument("--to", default="+15415550100", help="the navigator's number")
    args = parser.parse_args(argv)
    token = os.environ.get("TWILIO_AUTH_TOKEN")
    if not token:
        print("Set TWILIO_AUTH_TOKEN to the token the server uses.", file=sys.stderr)
        return 2
    sender = e164(args.sender)
    if sender is None:
        print(f"{args.sender!r} is not a phone number.", file=sys.stderr)
        return 2
    print(f"Texting {args.to} from {sender}. Type a message; Ctrl-D to stop.")
    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                texts = send(args.url, args.signed_url or args.url, token, sender, args.to,
                             line.strip())
            except (requests.RequestException, RuntimeError, ET.ParseError) as error:
                print(f"!! {error}", file=sys.stderr)
                continue
            if not texts:
                print("   (no reply)")
            for text in texts:
                print("┌" + "─" * 40)
                for row in text.splitlines():
                    print(f"│ {row}")
                print(f"└ {len(text)} characters")
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
