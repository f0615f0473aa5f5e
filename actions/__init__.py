"""Custom actions, one module per learner journey.

rasa-sdk imports every submodule of this package, so modules must not create engines,
clients or models at import time.
"""
