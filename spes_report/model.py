"""Plain immutable data passed between the loader, the builder and the writers."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date


def points(fraction: float) -> float:
    """A fraction or a difference of fractions in percentage points.

    Rounded so that 0.85 - 0.90 gives exactly -5.0: without it, binary floating
    point would put a mission exactly at the tolerance on the wrong side.
    """
    return round(fraction * 100, 6)


def band(gap_points: float, tolerance_points: float) -> int:
    """The three bands of every comparison with a target: 0 on or above it, 1 short by
    at most the tolerance, 2 short by more. Statuses and trajectories share it."""
    if gap_points >= 0:
        return 0
    return 1 if gap_points >= -tolerance_points else 2


@dataclass(frozen=True)
class Milestone:
    """A target completion rate (a fraction, 0.75) due on a date."""

    due: date
    target: float


@dataclass(frozen=True)
class Mission:
    number: int
    title: str
    objective: str
    description: str
    milestones: tuple[Milestone, ...]
    # Who reports the mission's figures; optional.
    pilot: str = ""
    pilot_email: str = ""
    # Why the plan's last revision changed this mission's targets; optional.
    revision_reason: str = ""


@dataclass(frozen=True)
class Plan:
    """The missions followed by the service and their targets: the plan in force."""

    service: str
    title: str
    missions: tuple[Mission, ...]

    def mission(self, number: int) -> Mission | None:
        return next((m for m in self.missions if m.number == number), None)

    @property
    def milestone_dates(self) -> tuple[date, ...]:
        """Every échéance date used by at least one mission, in order."""
        return tuple(sorted({ms.due for m in self.missions for ms in m.milestones}))


@dataclass(frozen=True)
class Measurement:
    """An actual completion rate (a fraction) reported for a mission on a date."""

    mission: int
    on: date
    rate: float


class Weather(enum.Enum):
    """The pilot's own view of the mission (« Météo »), as government steering tools ask it."""

    SOLEIL = "Soleil"
    NUAGEUX = "Nuageux"
    COUVERT = "Couvert"
    ORAGE = "Orage"


class WeatherFlag(enum.Enum):
    """A declared weather the computed trajectory strongly contradicts."""

    # « Soleil » while « Hors trajectoire ».
    OPTIMISTIC = "optimistic"
    # « Orage » while « En bonne voie ».
    PESSIMISTIC = "pessimistic"


@dataclass(frozen=True)
class Notes:
    """The free-text columns of a mission's row in the input, and its weather."""

    comment: str = ""
    attention: str = ""
    next_steps: str = ""
    # None: the pilot gave none (« Non renseignée », never a default).
    weather: Weather | None = None


@dataclass(frozen=True)
class InputData:
    """What the loader read from the input workbook."""

    committee_date: date | None
    measurements: tuple[Measurement, ...]
    notes: dict[int, Notes] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceInfo:
    """Where the input (or the plan) came from, shown in the workbook's Paramètres sheet."""

    file_name: str
    sha256: str

    @property
    def short_hash(self) -> str:
        """The first characters of the SHA-256, enough to tell two versions apart."""
        return self.sha256[:6]


class Status(enum.Enum):
    """A mission's standing against its target; the values are the French labels."""

    CONFORME = "Conforme"
    VIGILANCE = "Vigilance"
    ALERTE = "Alerte"
    NON_RENSEIGNE = "Non renseigné"
    # No target is due yet (before the first échéance).
    SANS_CIBLE = "Sans cible"
    # An échéance after the report date, shown in a mission's table only.
    A_VENIR = "À venir"


# The statuses counted in the summary, in the order they are shown.
SUMMARY_STATUSES = (
    Status.CONFORME,
    Status.VIGILANCE,
    Status.ALERTE,
    Status.NON_RENSEIGNE,
    Status.SANS_CIBLE,
)


@dataclass(frozen=True)
class TimelineRow:
    """One line of a mission sheet's table: an échéance or a measurement date."""

    on: date
    is_milestone: bool
    target: float | None
    actual: float | None
    gap_points: float | None
    status: Status
    # The rate projected at a future échéance (None: past, or no projection).
    projection: float | None = None


class Trajectory(enum.Enum):
    """Where a mission's current pace leads by its final échéance; French labels."""

    EN_BONNE_VOIE = "En bonne voie"
    A_SURVEILLER = "À surveiller"
    HORS_TRAJECTOIRE = "Hors trajectoire"
    NON_PROJETABLE = "Non projetable"


class NoProjection(enum.Enum):
    """Why a mission has no projection."""

    NO_RATE = "no-rate"
    # Fewer measurements in the window than the rule asks.
    TOO_FEW = "too-few"
    # The measurements in the window span fewer days than the rule asks.
    TOO_SHORT = "too-short"
    # The final échéance is on or before the report date: nothing left to project.
    FINAL_PASSED = "final-passed"
    NO_MILESTONE = "no-milestone"


@dataclass(frozen=True)
class ProjectionRule:
    """How a pace is measured (projection.project): the figures the committee is told."""

    # Measurements dated within this many days before the report date count.
    window_days: int = 90
    min_measurements: int = 2
    # The first and last of them must be at least this many days apart.
    min_span_days: int = 14


DEFAULT_PROJECTION_RULE = ProjectionRule()


@dataclass(frozen=True)
class Projection:
    """A mission's pace and where it leads, on the report date."""

    trajectory: Trajectory
    # Points per month: the least-squares slope over the window (None: no pace).
    pace_points: float | None = None
    # Points per month from the latest rate to the final target (0: reached already;
    # None: no rate, or the final échéance has passed).
    needed_points: float | None = None
    # The échéances after the report date and the rate projected at each, in order.
    at: tuple[tuple[date, float], ...] = ()
    # The final échéance and its target (None: the mission has no échéance).
    final_due: date | None = None
    final_target: float | None = None
    # Where the projection starts: the latest rate and its date.
    start: tuple[date, float] | None = None
    reason: NoProjection | None = None

    @property
    def at_final(self) -> float | None:
        """The rate projected at the final échéance (None: no projection)."""
        if self.at and self.at[-1][0] == self.final_due:
            return self.at[-1][1]
        return None


NOT_PROJECTED = Projection(Trajectory.NON_PROJETABLE, reason=NoProjection.NO_RATE)


@dataclass(frozen=True)
class MissionStatus:
    """A mission as it stands on the report date."""

    mission: Mission
    reference_milestone: date | None
    target: float | None
    actual: float | None
    actual_date: date | None
    gap_points: float | None
    change_points: float | None
    status: Status
    notes: Notes
    timeline: tuple[TimelineRow, ...]
    # When the plan in force revised this mission's targets since the first archived
    # committee of the same plan: the target then due under that first plan, and
    # that plan's échéances (both None when nothing was revised).
    initial_target: float | None = None
    initial_milestones: tuple[Milestone, ...] | None = None
    # False for a mission the plan added since that first committee.
    in_initial_plan: bool = True
    # The date of its latest rate when nobody has updated it since (builder.stale_since).
    stale_since: date | None = None
    projection: Projection = NOT_PROJECTED
    # The declared weather, when the trajectory strongly contradicts it.
    weather_flag: WeatherFlag | None = None

    @property
    def revised(self) -> bool:
        return self.initial_milestones is not None


@dataclass(frozen=True)
class PastCommittee:
    """What an archived committee was told, as the archive's manifest keeps it."""

    report_date: date
    # Mission number -> the actual rate shown at that committee (None: no figure).
    actuals: tuple[tuple[int, float | None], ...]
    average_actual: float | None
    # Every rate its input held, so that later months can spot corrections.
    measurements: tuple[Measurement, ...]
    # The plan it was built with (titles and targets); None when not known.
    plan: Plan | None = None
    # The rates it projected: (mission, échéance, rate), for its forecasts' track record.
    projections: tuple[tuple[int, date, float], ...] = ()

    def actual(self, mission: int) -> float | None:
        return dict(self.actuals).get(mission)


@dataclass(frozen=True)
class ForecastCheck:
    """How an archived committee's projection at a now passed échéance turned out."""

    mission: int
    due: date
    projected: float
    # The committee that was shown the projection.
    committee: date
    # The rate measured on the échéance (None: none was).
    actual: float | None

    @property
    def gap_points(self) -> float | None:
        """Réalisé minus projected, in points."""
        return None if self.actual is None else points(self.actual - self.projected)


@dataclass(frozen=True)
class Correction:
    """A rate already shown to a committee that the current input changes or removes."""

    mission: int
    on: date
    reported: float
    # None when the cell is now empty.
    now: float | None
    committee: date


class RevisionKind(enum.Enum):
    """What changed in the plan between two committees."""

    # No échéance in common: a new plan (period), whose changes are not listed one by one.
    NEW_PLAN = "new-plan"
    PLAN_RETITLED = "plan-retitled"
    MISSION_ADDED = "mission-added"
    MISSION_REMOVED = "mission-removed"
    MISSION_RETITLED = "mission-retitled"
    MILESTONE_ADDED = "milestone-added"
    MILESTONE_REMOVED = "milestone-removed"
    MILESTONE_MOVED = "milestone-moved"
    TARGET_CHANGED = "target-changed"


@dataclass(frozen=True)
class Revision:
    """One change of the plan since the previous committee (history.find_revisions)."""

    kind: RevisionKind
    mission: int | None = None
    # The échéance concerned (for a move, its earlier date).
    on: date | None = None
    moved_to: date | None = None
    # Titles (text) or targets (fractions, None: no target at that échéance).
    before: str | float | None = None
    after: str | float | None = None
    # The plan's « Motif de révision » for this mission, if any.
    reason: str = ""


class Exclusion(enum.Enum):
    """Why an archived committee is left out of a report's history."""

    # Its manifest or files were changed after filing (archive verify says what).
    EDITED = "edited"
    # Its manifest cannot be read.
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class ExcludedCommittee:
    """An archived month that a report's history leaves out, and why."""

    month: str  # "2020-06"
    reason: Exclusion


@dataclass(frozen=True)
class Report:
    """Everything the writers need; built by builder.build_report."""

    service: str
    report_date: date
    tolerance_points: float
    missions: tuple[MissionStatus, ...]
    average_actual: float | None
    status_counts: tuple[tuple[Status, int], ...]
    source: SourceInfo | None
    tool_version: str
    # Earlier archived committees, oldest first (all before report_date).
    history: tuple[PastCommittee, ...] = ()
    corrections: tuple[Correction, ...] = ()
    # Archived months before report_date that the history leaves out.
    excluded: tuple[ExcludedCommittee, ...] = ()
    # The plan in force: its title and where it came from (None: not said).
    plan_title: str = ""
    plan_source: SourceInfo | None = None
    # How the plan changed since the previous committee (empty: same plan, or unknown).
    revisions: tuple[Revision, ...] = ()
    # The committee whose plan was the first of this title: where initial targets come from.
    initial_plan_date: date | None = None
    # Without an archived committee, a rate older than this many days is not fresh.
    freshness_days: int = 45
    projection_rule: ProjectionRule = DEFAULT_PROJECTION_RULE
    # Earlier committees' projections at the échéances passed since, most recent first.
    forecasts: tuple[ForecastCheck, ...] = ()

    def count(self, status: Status) -> int:
        return dict(self.status_counts).get(status, 0)

    def count_trajectory(self, trajectory: Trajectory) -> int:
        return sum(1 for ms in self.missions if ms.projection.trajectory is trajectory)

    @property
    def previous_committee(self) -> PastCommittee | None:
        """The committee the Tendance compares with, when one is archived."""
        return self.history[-1] if self.history else None


@dataclass(frozen=True)
class ArchivedFigure:
    """One line of the archive as data: a mission at an échéance, as a committee saw it."""

    report_date: date
    mission: int
    title: str
    due: date
    target: float | None
    actual: float | None
    gap_points: float | None
    status: Status
    plan_sha256: str
    input_sha256: str
