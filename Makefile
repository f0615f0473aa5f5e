# One Makefile for people and CI. `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c

VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
MODEL := models/navigator.tar.gz

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help run test venv setup lint validate train pytest stories lock clean nlu-eval widget widget-deps widget-vendor eval bench-kb bench-stack bench-widget bench-sms bench-load profile deploy-test

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

run: setup ## Set up everything and start the navigator (Rasa :5005, actions :5055, web :8000)
	@$(PY) -m bot.run

test: venv widget lint validate setup pytest stories nlu-eval eval deploy-test ## Set up and run every check: ruff, data validation, pytest, test stories, held-out NLU scores, acceptance scenarios, the container deploy test
	@echo "==> All checks passed"

venv:
	@scripts/bootstrap.sh

WIDGET_BUILD := bot/widget/build
# npm ci when the lock file changes; then check the committed socket.io build is the one
# the lock file pins (the vendor file is committed so `make run` needs no Node.js).
widget: widget-deps ## Install the widget's pinned npm packages; check the vendored socket.io build
	@cmp -s $(WIDGET_BUILD)/node_modules/socket.io-client/dist/socket.io.min.js \
		bot/widget/static/vendor/socket.io.min.js || \
		{ echo "bot/widget/static/vendor/socket.io.min.js differs from the locked socket.io-client: run make widget-vendor"; exit 1; }

widget-deps:
	@if [ ! -f $(WIDGET_BUILD)/node_modules/.lock-stamp ] || \
	    ! cmp -s $(WIDGET_BUILD)/package-lock.json $(WIDGET_BUILD)/node_modules/.lock-stamp; then \
		echo "==> npm ci ($(WIDGET_BUILD))"; \
		cd $(WIDGET_BUILD) && npm ci --no-audit --no-fund --loglevel=error && \
		cp package-lock.json node_modules/.lock-stamp; \
	fi

widget-vendor: widget-deps ## Copy the locked socket.io-client browser build into bot/widget/static/vendor/
	@cp $(WIDGET_BUILD)/node_modules/socket.io-client/dist/socket.io.min.js bot/widget/static/vendor/

setup: venv ## Create .venv, install pinned dependencies, prepare the database and the model
	@$(PY) -m bot.prepare

lint: venv ## ruff
	@echo "==> ruff"
	@$(VENV)/bin/ruff check .

validate: venv ## rasa data validate --fail-on-warnings
	@echo "==> Validating the training data"
	@$(RASA) data validate --fail-on-warnings --config config.yml --domain domain.yml --data data

train: venv ## Train the model (only when training data or config changed)
	@$(PY) -m bot.prepare

pytest: ## Unit, integration and browser tests
	@echo "==> pytest"
	@$(VENV)/bin/pytest -m "not deploy"

stories: ## Conversation test stories against the trained model
	@echo "==> Test stories"
	@$(RASA) test core --stories tests/conversations --model $(MODEL) \
		--fail-on-prediction-errors --out results/stories

lock: venv ## Re-pin every dependency into constraints.txt after editing requirements.txt
	@$(PY) -m pip install -r requirements.txt
	@$(PY) -m pip freeze --exclude-editable > constraints.txt

clean: ## Remove the trained model, test results and the local database
	rm -rf models results var

nlu-eval: setup ## Intent and entity F1 on the held-out set (tests/nlu/test_set.yml); fails below target
	@echo "==> NLU on held-out messages"
	@$(PY) -m bot.nlu.evaluate

eval: setup ## Acceptance scenarios on the unseen eval catalogue (tests/eval/); fails under its floors
	@echo "==> Acceptance scenarios (tests/eval)"
	@$(PY) -m tests.eval

bench-kb: venv ## Knowledge base at 100x the sample: import time, search latency (SQLite, PostgreSQL)
	@$(PY) -m bench.kb_bench

bench-stack: setup ## Start-up time, memory and single-user reply latency of the stack
	@$(PY) -m bench.stack_bench

bench-widget: setup widget ## Widget bytes over the wire (gzip) and time to ready in Chromium
	@$(PY) -m bench.widget_bench

bench-sms: setup ## 200 signed texts from 50 phones at once: errors, exactly-once, p95 reply time
	@$(PY) -m bench.sms_bench

# Options for bench-load and profile, e.g. make bench-load ARGS="--only embedded,bare".
ARGS ?=

bench-load: setup ## 50 learners x 20 turns (REST and SMS): embedded, 2 replicas on PostgreSQL + Redis, bare Rasa, one table (ARGS="--only embedded,bare --learners N --turns N")
	@$(PY) -m bench.load_bench $(ARGS)

profile: setup ## Where a turn's time goes, per journey and at turn 1 vs 50; results/profile/profile.json (ARGS="--quick")
	@$(PY) -m bench.profile_turns $(ARGS)

# The last step of `make test` (as root, after make setup): installs podman (Debian),
# builds the images and runs two Rasa servers in containers: about 7 minutes with the
# images cached, 11 on a new machine (deploy/README.md, "The local podman test").
deploy-test: setup ## Build the 3 images; run them with podman kube play (and compose) on loopback; talk REST, socket.io, SMS, console; stop a Rasa replica mid-conversation
	@echo "==> Deploy test (podman; as root)"
	@$(VENV)/bin/pytest -m deploy tests/deploy -s -v
