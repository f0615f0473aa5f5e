"""`python -m bot.rasa_cli ARGS`: Rasa's own command line (`rasa ARGS`), without JAX.

TensorFlow imports JAX only to convert JAX models to TensorFlow Lite, which nothing here
does, and that import alone holds about 100 MB in every process that loads TensorFlow
(docs/performance.md). TensorFlow treats a JAX that cannot be imported as absent.
"""

from __future__ import annotations

import sys

if __name__ == "__main__":
    sys.modules.setdefault("jax", None)  # type: ignore[arg-type]
    from rasa.__main__ import main

    sys.argv[0] = "rasa"
    main()
