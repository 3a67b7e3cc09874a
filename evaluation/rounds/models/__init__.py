from .duties import DistrictStaff
from .facilities import REQUIRED_ROOM_PARTS, FacilityEntry, Item, RoomPart
from .rounds import DEMONSTRATION_CYCLE_YEARS, Application, Decision, Round, RoundKind

__all__ = [
    "DEMONSTRATION_CYCLE_YEARS",
    "REQUIRED_ROOM_PARTS",
    "RoomPart",
    "Application",
    "Decision",
    "DistrictStaff",
    "FacilityEntry",
    "Item",
    "Round",
    "RoundKind",
]
