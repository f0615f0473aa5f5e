"""Custom Rasa NLU components, chiefly the knowledge-base entity matcher.

Import the component from `bot.nlu.kb_entities`; this package stays light so that
importing `bot` never loads spaCy or Rasa.
"""

# The intent crisis words always get (bot/nlu/crisis.py); here so that the web app can
# flag them in a transcript without loading Rasa.
CRISIS_INTENT = "crisis"
