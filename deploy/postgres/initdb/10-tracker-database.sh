#!/bin/sh
# Run once by the postgres image when it creates its data directory: the second database,
# Rasa's tracker store (the conversations), beside POSTGRES_DB (the navigator database).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -c "CREATE DATABASE navigator_tracker OWNER \"$POSTGRES_USER\""
