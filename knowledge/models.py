"""Catalogue schema: one table per bundle file (see the bundle format page).

List cells become child rows or JSON lists. Relations that searches join on
(program ↔ occupation/credential, provider ↔ county, service ↔ county) are
association tables so they can be indexed; plain lists (keywords, languages,
schedule) are JSON because they are only ever read whole.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, List, Optional

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

# Stable constraint names so Alembic migrations work the same on SQLite and PostgreSQL.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
Base: Any = declarative_base(metadata=metadata)

PROVIDER_KINDS = (
    "community_college",
    "community_organization",
    "workforce_center",
    "library",
    "corrections",
    "other",
)
SECTORS = (
    "healthcare",
    "manufacturing",
    "construction",
    "transportation",
    "early_childhood",
    "business",
    "information_technology",
    "hospitality",
    "public_safety",
    "agriculture",
    "energy",
    "other",
)
SCHEDULES = ("day", "evening", "weekend", "flexible")
MODALITIES = ("in_person", "online", "hybrid")
CREDENTIAL_KINDS = (
    "industry_certification",
    "career_pathway_certificate",
    "license",
    "high_school_equivalency",
    "apprenticeship",
    "degree",
    "other",
)
OUTLOOKS = ("bright", "average", "below_average", "unknown")
SERVICE_CATEGORIES = (
    "transportation",
    "childcare",
    "disability",
    "food",
    "housing",
    "technology",
    "health",
    "legal",
    "financial",
    "language",
    "basic_needs",
    "career",
    "other",
)
STATEWIDE = "*"

program_occupations = Table(
    "program_occupations",
    metadata,
    Column("program_id", ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True),
    Column("soc", ForeignKey("occupations.soc", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)
program_credentials = Table(
    "program_credentials",
    metadata,
    Column("program_id", ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "credential_id", ForeignKey("credentials.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("position", Integer, nullable=False, default=0),
)
credential_stacks = Table(
    "credential_stacks",
    metadata,
    Column("credential_id", ForeignKey("credentials.id", ondelete="CASCADE"), primary_key=True),
    Column("stacks_to_id", ForeignKey("credentials.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)
provider_counties = Table(
    "provider_counties",
    metadata,
    Column("provider_id", ForeignKey("providers.id", ondelete="CASCADE"), primary_key=True),
    # An Oregon county name, or "*" for statewide.
    Column("county", String(40), primary_key=True, index=True),
    Column("position", Integer, nullable=False, default=0),
)
service_counties = Table(
    "service_counties",
    metadata,
    Column("service_id", ForeignKey("services.id", ondelete="CASCADE"), primary_key=True),
    Column("county", String(40), primary_key=True, index=True),
    Column("position", Integer, nullable=False, default=0),
)
step_programs = Table(
    "pathway_step_programs",
    metadata,
    Column("step_id", ForeignKey("pathway_steps.id", ondelete="CASCADE"), primary_key=True),
    Column("program_id", ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)


class Provider(Base):
    __tablename__ = "providers"

    id: str = Column(String(80), primary_key=True)
    name: str = Column(String(200), nullable=False)
    kind: str = Column(String(40), nullable=False)
    city: str = Column(String(100), nullable=False)
    zip: str = Column(String(5), nullable=False)
    phone: Optional[str] = Column(String(40))
    email: Optional[str] = Column(String(200))
    website: Optional[str] = Column(String(500))
    navigator_team: Optional[str] = Column(String(80))
    aliases: List[str] = Column(JSON, nullable=False, default=list)
    counties: List[str] = Column(JSON, nullable=False, default=list)  # in bundle order
    latitude: Optional[float] = Column(Float)
    longitude: Optional[float] = Column(Float)

    programs = relationship("Program", back_populates="provider")

    @property
    def team(self) -> str:
        return self.navigator_team or self.id


class Occupation(Base):
    __tablename__ = "occupations"

    soc: str = Column(String(7), primary_key=True)  # normalised "31-9097"
    title: str = Column(String(200), nullable=False)
    median_hourly_wage = Column(Numeric(10, 2))
    median_annual_wage = Column(Numeric(12, 2))
    wage_area: Optional[str] = Column(String(100))
    wage_source: Optional[str] = Column(String(200))
    outlook: str = Column(String(20), nullable=False, default="unknown")
    description: Optional[str] = Column(Text)
    keywords: List[str] = Column(JSON, nullable=False, default=list)
    # Spanish text (bundle v1.1); None = no Spanish text, show the English.
    title_es: Optional[str] = Column(Text)
    description_es: Optional[str] = Column(Text)


class Credential(Base):
    __tablename__ = "credentials"

    id: str = Column(String(80), primary_key=True)
    name: str = Column(String(200), nullable=False)
    kind: str = Column(String(40), nullable=False)
    description: str = Column(Text, nullable=False)
    issuer: Optional[str] = Column(String(200))
    exam: Optional[str] = Column(String(200))
    keywords: List[str] = Column(JSON, nullable=False, default=list)
    name_es: Optional[str] = Column(Text)
    description_es: Optional[str] = Column(Text)

    stacks_to = relationship(
        "Credential",
        secondary=credential_stacks,
        primaryjoin=lambda: Credential.id == credential_stacks.c.credential_id,
        secondaryjoin=lambda: Credential.id == credential_stacks.c.stacks_to_id,
        order_by=lambda: credential_stacks.c.position,
    )


class Program(Base):
    __tablename__ = "programs"

    id: str = Column(String(80), primary_key=True)
    provider_id: str = Column(ForeignKey("providers.id"), nullable=False, index=True)
    title: str = Column(String(300), nullable=False)
    sector: str = Column(String(40), nullable=False, index=True)
    iet: bool = Column(Boolean, nullable=False, index=True)
    description: str = Column(Text, nullable=False)
    duration_weeks: Optional[int] = Column(Integer)
    hours_per_week: Optional[int] = Column(Integer)
    schedule: List[str] = Column(JSON, nullable=False, default=list)
    modality: str = Column(String(20), nullable=False, default="in_person", index=True)
    languages: List[str] = Column(JSON, nullable=False, default=list)
    english_support: Optional[bool] = Column(Boolean)
    cost_usd = Column(Numeric(10, 2))
    cost_notes: Optional[str] = Column(Text)
    prerequisites: Optional[str] = Column(Text)
    next_start: Optional[dt.date] = Column(Date)
    campus_city: Optional[str] = Column(String(100))
    campus_zip: Optional[str] = Column(String(5))
    url: Optional[str] = Column(String(500))
    keywords: List[str] = Column(JSON, nullable=False, default=list)
    last_verified: Optional[dt.date] = Column(Date)
    source: Optional[str] = Column(String(200))
    # Where classes meet (campus ZIP, else the provider's), filled at import.
    latitude: Optional[float] = Column(Float)
    longitude: Optional[float] = Column(Float)
    title_es: Optional[str] = Column(Text)
    description_es: Optional[str] = Column(Text)
    cost_notes_es: Optional[str] = Column(Text)
    prerequisites_es: Optional[str] = Column(Text)

    provider = relationship("Provider", back_populates="programs")
    occupations = relationship(
        "Occupation", secondary=program_occupations, order_by=program_occupations.c.position
    )
    credentials = relationship(
        "Credential", secondary=program_credentials, order_by=program_credentials.c.position
    )


class Pathway(Base):
    __tablename__ = "pathways"

    id: str = Column(String(80), primary_key=True)
    title: str = Column(String(300), nullable=False)
    sector: str = Column(String(40), nullable=False)
    description: Optional[str] = Column(Text)
    title_es: Optional[str] = Column(Text)
    description_es: Optional[str] = Column(Text)

    steps = relationship(
        "PathwayStep",
        back_populates="pathway",
        order_by="PathwayStep.step",
        cascade="all, delete-orphan",
    )


class PathwayStep(Base):
    __tablename__ = "pathway_steps"
    __table_args__ = (UniqueConstraint("pathway_id", "step"),)

    id: int = Column(Integer, primary_key=True, autoincrement=True)
    pathway_id: str = Column(ForeignKey("pathways.id", ondelete="CASCADE"), nullable=False)
    step: int = Column(Integer, nullable=False)
    occupation_soc: str = Column(ForeignKey("occupations.soc"), nullable=False, index=True)
    credential_id: Optional[str] = Column(ForeignKey("credentials.id"), index=True)
    typical_months: Optional[int] = Column(Integer)

    pathway = relationship("Pathway", back_populates="steps")
    occupation = relationship("Occupation")
    credential = relationship("Credential")
    programs = relationship("Program", secondary=step_programs, order_by=step_programs.c.position)


class Service(Base):
    __tablename__ = "services"
    __table_args__ = (Index("ix_services_category", "category"),)

    id: str = Column(String(80), primary_key=True)
    name: str = Column(String(300), nullable=False)
    category: str = Column(String(40), nullable=False)
    organization: str = Column(String(300), nullable=False)
    counties: List[str] = Column(JSON, nullable=False, default=list)  # in bundle order
    description: str = Column(Text, nullable=False)
    how_to_apply: str = Column(Text, nullable=False)
    eligibility: Optional[str] = Column(Text)
    cost: Optional[str] = Column(Text)
    phone: Optional[str] = Column(String(40))
    text_number: Optional[str] = Column(String(40))
    url: Optional[str] = Column(String(500))
    languages: List[str] = Column(JSON, nullable=False, default=list)
    keywords: List[str] = Column(JSON, nullable=False, default=list)
    last_verified: Optional[dt.date] = Column(Date)
    source: Optional[str] = Column(String(200))
    name_es: Optional[str] = Column(Text)
    description_es: Optional[str] = Column(Text)
    how_to_apply_es: Optional[str] = Column(Text)
    eligibility_es: Optional[str] = Column(Text)
    cost_es: Optional[str] = Column(Text)


class CatalogueImport(Base):
    """One row per successful import, so `stats` and the console can say what is loaded,
    from where and by whom. It keeps the bundle itself (the files as imported, zipped), so
    any earlier catalogue can be restored in one step, from any web replica."""

    __tablename__ = "catalogue_imports"

    id: int = Column(Integer, primary_key=True, autoincrement=True)
    imported_at: dt.datetime = Column(DateTime(timezone=True), nullable=False)
    source: str = Column(String(500), nullable=False)
    counts: dict = Column(JSON, nullable=False, default=dict)
    # Who imported it in the console; None for the command line and the first setup.
    username: Optional[str] = Column(String(80))
    # File name -> SHA-256 of its bytes; None for imports made before it was kept.
    checksums: Optional[dict] = Column(JSON)
    bundle: Optional[bytes] = Column(LargeBinary)  # the seven files, zipped
    restored_from: Optional[int] = Column(Integer)  # the import this one brought back


class CatalogueUpload(Base):
    """A bundle uploaded in the console and found valid, waiting while its editor reads the
    preview. Kept in the database rather than on one replica's disk, so the preview and
    the apply may reach different web replicas; only the user who uploaded it can apply it."""

    __tablename__ = "catalogue_uploads"

    token: str = Column(String(64), primary_key=True)
    user_id: int = Column(Integer, nullable=False)
    created_at: dt.datetime = Column(DateTime(timezone=True), nullable=False)
    # The newest import when the upload was checked: applying over a later one is refused,
    # since the preview would no longer show what changes.
    base_import_id: Optional[int] = Column(Integer)
    source: str = Column(String(500), nullable=False)
    checksums: dict = Column(JSON, nullable=False, default=dict)
    bundle: bytes = Column(LargeBinary, nullable=False)


# Tables an import replaces, children first so deletes respect foreign keys.
CATALOGUE_TABLES = (
    step_programs,
    PathwayStep.__table__,
    Pathway.__table__,
    program_occupations,
    program_credentials,
    Program.__table__,
    credential_stacks,
    Credential.__table__,
    Occupation.__table__,
    provider_counties,
    Provider.__table__,
    service_counties,
    Service.__table__,
)
