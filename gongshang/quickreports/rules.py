"""Pure 工伤快报 rules: the 48-hour window, the capture-time window, media counts and the
快报唯一标志码 (generation, check character, normalisation) and the status workflow. No database.

Source: seed 000 (青岛市 工伤远程速报系统): report within 48 hours of the accident; the accident
time defaults to now and may be moved back within 48 hours; one video and four photos, taken
live; a 快报唯一标志码 secures later supplements.
"""

from datetime import datetime, timedelta

from gongshang.core import codes
from gongshang.core.workflow import Workflow, step

from .choices import ReportStatus as S

# The one transition table of QuickReport.status (DESIGN convention 4); actions are the matrix's
# "quick_report" actions. Steps without a target leave the status as it is but are refused once
# the report is closed (or, for the green channel, closed as invalid).
OPEN = (S.NEW, S.RECEIVED)
WORKFLOW = Workflow(
    kind="quick_report",
    steps={
        "receive": step(S.NEW, S.RECEIVED),
        "open_case": step(OPEN, S.CASE_OPENED),
        "close_invalid": step(OPEN, S.CLOSED_INVALID),
        "green_channel": step((*OPEN, S.CASE_OPENED), None),
        # The reporter may supplement until the report is closed as invalid (and until a
        # recognition application of its cases is accepted: selectors.supplement_closed_reason).
        "supplement": step((*OPEN, S.CASE_OPENED), None),
    },
    statuses=tuple(S.values),
)

ACCIDENT_WINDOW = timedelta(hours=48)
CAPTURE_BEFORE_ACCIDENT = timedelta(hours=1)
CAPTURE_AFTER_UPLOAD = timedelta(minutes=5)
MAX_PHOTOS = 4
MAX_VIDEOS = 1

# Crockford base32: no I, L, O, U (read as 1, 1, 0; U is never used).
ALPHABET = codes.ALPHABET
CODE_CHARS = 12  # 12 × 5 = 60 random bits
CODE_GROUP = 4


def accident_time_problem(accident_at: datetime, reference: datetime) -> str | None:
    """None when `accident_at` lies in [reference − 48 h, reference]; else "future" or "too_old".
    `reference` is the submission time (server clock), also for later corrections."""
    if accident_at > reference:
        return "future"
    if accident_at < reference - ACCIDENT_WINDOW:
        return "too_old"
    return None


def capture_time_ok(captured_at: datetime, accident_at: datetime, uploaded_at: datetime) -> bool:
    """Live evidence: taken no earlier than 1 h before the accident, no later than 5 min after upload."""
    return accident_at - CAPTURE_BEFORE_ACCIDENT <= captured_at <= uploaded_at + CAPTURE_AFTER_UPLOAD


def media_count_problem(*, photos: int, videos: int) -> str | None:
    """Counts of current (not replaced) media after a change: "photos", "videos" or None."""
    if photos > MAX_PHOTOS:
        return "photos"
    if videos > MAX_VIDEOS:
        return "videos"
    return None


def check_character(body: str) -> str:
    """Luhn mod 32 check character (gongshang.core.codes)."""
    return codes.check_character(body)


def is_well_formed(compact: str) -> bool:
    return codes.is_well_formed(compact, random_length=CODE_CHARS)


def normalize_code(text: str) -> str:
    """What a person typed → the compact form: upper case, no spaces or hyphens, O→0, I/L→1."""
    return codes.normalize(text)


def format_code(compact: str) -> str:
    """ABCD2345EFGH + K → ABCD-2345-EFGH-K."""
    body, check = compact[:-1], compact[-1]
    groups = [body[i:i + CODE_GROUP] for i in range(0, len(body), CODE_GROUP)]
    return "-".join([*groups, check])


def generate_code() -> str:
    """A fresh code (compact form): 60 bits from the OS CSPRNG, never derived from ids or time."""
    return codes.new_code(CODE_CHARS)
