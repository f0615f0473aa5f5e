"""`python -m bot.console users add|list|disable|set-password`: navigator accounts.

Passwords are read from the terminal (or one line of standard input with
--password-stdin, for scripts); they are stored only as argon2id hashes.

Exit codes: 0 done, 1 refused (unknown user, weak password, name taken), 2 usage.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import List, Optional

from sqlalchemy.exc import IntegrityError

from bot.console.security import MIN_PASSWORD_LENGTH, hash_password
from bot.records import store
from bot.records.schema import upgrade
from knowledge.db import database_url, make_engine


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(f"Password (at least {MIN_PASSWORD_LENGTH} characters): ")
    if getpass.getpass("Again: ") != first:
        raise ValueError("the two passwords differ")
    return first


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.console", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", metavar="URL", help="default: NAVIGATOR_DATABASE_URL")
    users = parser.add_subparsers(dest="group", required=True).add_parser(
        "users", help="navigator accounts").add_subparsers(dest="command", required=True)
    add = users.add_parser("add", help="create an account")
    add.add_argument("username")
    add.add_argument("--role", choices=store.ROLES, default="navigator")
    add.add_argument("--team", action="append", default=[],
                     help="a navigator team it serves (repeat for several)")
    add.add_argument("--password-stdin", action="store_true")
    users.add_parser("list", help="list accounts")
    disable = users.add_parser("disable", help="stop an account from logging in")
    disable.add_argument("username")
    reset = users.add_parser("set-password", help="set a new password")
    reset.add_argument("username")
    reset.add_argument("--password-stdin", action="store_true")
    args = parser.parse_args(argv)

    url = args.database or database_url()
    upgrade(url)
    engine = make_engine(url)
    try:
        if args.command == "list":
            for user in store.all_users(engine):
                state = "active" if user["active"] else "disabled"
                teams = ", ".join(user["teams"]) or "-"
                print(f"{user['username']:<20} {user['role']:<10} {state:<9} teams: {teams}")
            return 0
        if args.command == "disable":
            if not store.update_user(engine, args.username, active=False):
                print(f"No user {args.username!r}.", file=sys.stderr)
                return 1
            print(f"Disabled {args.username}.")
            return 0
        password_hash = hash_password(read_password(args.password_stdin))
        if args.command == "add":
            if args.role == "navigator" and not args.team:
                print("A navigator needs at least one --team.", file=sys.stderr)
                return 2
            store.add_user(engine, args.username, password_hash, args.role, args.team)
            print(f"Added {args.role} {args.username}.")
        elif not store.update_user(engine, args.username, password_hash=password_hash):
            print(f"No user {args.username!r}.", file=sys.stderr)
            return 1
        else:
            print(f"New password set for {args.username}.")
        return 0
    except ValueError as error:
        print(f"Refused: {error}.", file=sys.stderr)
        return 1
    except IntegrityError:
        print(f"The username {args.username!r} is taken.", file=sys.stderr)
        return 1
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
