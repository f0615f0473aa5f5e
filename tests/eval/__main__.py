import sys

from tests.eval.runner import main

sys.exit(main())
