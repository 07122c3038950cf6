from .members import PartyMember
from .organization import Organization, OrgChange, Position

__all__ = ["OrgChange", "Organization", "PartyMember", "Position"]
