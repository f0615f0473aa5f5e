"""The navigator database: referrals, messages, scheduled jobs, accounts, audit and SMS
state, on one SQLAlchemy metadata (tables.py) with one Alembic history (migrations/)."""
