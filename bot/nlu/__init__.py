"""Custom Rasa NLU components, chiefly the knowledge-base entity matcher.

Import the component from `bot.nlu.kb_entities`; this package stays light so that
importing `bot` never loads spaCy or Rasa.
"""
