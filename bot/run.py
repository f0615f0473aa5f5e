"""`python -m bot.run`: starts the Rasa server, the action server and the web app.

The run command (`make run`) prepares everything first; this only starts and supervises.
"""

from __future__ import annotations

import asyncio
import signal
import sys

from bot.processes import Stack, StackError, navigator_services
from bot.settings import Settings


async def main() -> int:
    settings = Settings.from_env()
    if not settings.model_path.exists():
        print(f"No trained model at {settings.model_path}. Run 'make run' (it trains one).",
              file=sys.stderr)
        return 2
    stack = Stack(navigator_services(settings))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    print("Starting the action server, the Rasa server and the web app "
          "(the Rasa server takes about a minute to load the model)...", flush=True)
    code = 0
    try:
        starting = asyncio.create_task(stack.start())
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if starting.done():
            starting.result()
            url = f"http://localhost:{settings.web_port}/"
            print(f"\n  The navigator is ready. Open {url} to chat.\n"
                  f"  Rasa REST channel: http://localhost:{settings.rasa_port}/webhooks/rest/webhook\n"
                  "  Press Ctrl-C to stop.\n", flush=True)
            exited = asyncio.create_task(stack.wait_for_exit())
            await asyncio.wait({exited, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if exited.done():
                service = exited.result()
                print(f"{service.name} stopped unexpectedly (exit code "
                      f"{service.process.returncode}); stopping the others.", file=sys.stderr)
                code = 1
        else:
            starting.cancel()
    except StackError as error:
        print(f"Could not start the navigator: {error}", file=sys.stderr)
        code = 1
    finally:
        print("Stopping...", flush=True)
        await stack.stop()
        print("Stopped.", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
