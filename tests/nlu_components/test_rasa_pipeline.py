"""The matcher inside a real Rasa 3.6 NLU pipeline: registered, trained around, loaded."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

CONFIG = """\
recipe: default.v1
language: en
pipeline:
  - name: WhitespaceTokenizer
  - name: CountVectorsFeaturizer
  - name: KeywordIntentClassifier
  - name: bot.nlu.kb_entities.KnowledgeBaseEntityMatcher
    refresh_interval_seconds: 0
  - name: EntitySynonymMapper
"""

NLU = """\
version: "3.1"
nlu:
  - intent: find_program
    examples: |
      - i want to find a class
      - programs for a job
  - intent: greet
    examples: |
      - hello
      - hi there
"""


@pytest.fixture
def trained_model(tmp_path: Path, database: Engine, monkeypatch: pytest.MonkeyPatch) -> str:
    from rasa.model_training import train_nlu

    # Rasa's training cache defaults to .rasa/ in the working directory: keep it out.
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path / "cache"))
    (tmp_path / "config.yml").write_text(CONFIG)
    (tmp_path / "nlu.yml").write_text(NLU)
    model = train_nlu(
        str(tmp_path / "config.yml"), str(tmp_path / "nlu.yml"), str(tmp_path / "models")
    )
    assert model, "training produced no model"
    return model


async def test_rasa_loads_the_component_and_reports_kb_entities(trained_model: str) -> None:
    from rasa.core.agent import Agent

    agent = Agent.load(trained_model)
    result = await agent.parse_message("i want to find a class for flebotomy near eugen")
    assert result["intent"]["name"] == "find_program"
    found = {(e["entity"], e["value"], e["extractor"]) for e in result["entities"]}
    assert found == {
        ("program", "lane-phlebotomy", "KnowledgeBaseEntityMatcher"),
        ("occupation", "31-9097", "KnowledgeBaseEntityMatcher"),
        ("place", "Eugene", "KnowledgeBaseEntityMatcher"),
    }
