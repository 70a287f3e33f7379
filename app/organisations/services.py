"""Saving an organisation's details and logo (never commits: the view does)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.media.deferred import Slot, accept, clear
from app.media.pipeline import ImageRejected
from app.media.services import StoredImage
from app.profiles.models import LOGO_WIDTHS, OrganiserProfile


class LogoRejected(ValueError):
    """The pipeline refused the logo: `reason` is its code (app.media.messages translates)."""

    def __init__(self, filename: str, reason: str) -> None:
        super().__init__(reason)
        self.filename = filename
        self.reason = reason


@dataclass
class Logo:
    filename: str
    data: bytes


@dataclass
class OrganisationDetails:
    organisation: str
    website: str
    description: str
    city: str
    country: str
    logo_alt: str
    contact_email: str
    show_contact_email: bool


def profile_for(user: User) -> OrganiserProfile:
    """The organiser's profile, created (named after the person) if they never had one."""
    profile = db.session.scalar(select(OrganiserProfile).where(OrganiserProfile.user_id == user.id))
    if profile is None:
        profile = OrganiserProfile(user_id=user.id, organisation=user.display_name[:150])
        db.session.add(profile)
        db.session.flush()
    return profile


def update_organisation(
    *,
    actor: User,
    details: OrganisationDetails,
    logo: Logo | None = None,
    remove_logo: bool = False,
) -> OrganiserProfile:
    """Save what the organiser wrote; a new logo goes through the image pipeline."""
    profile = profile_for(actor)
    profile.organisation = details.organisation.strip()
    profile.website = details.website.strip()
    profile.description = details.description.strip()
    profile.city = details.city.strip()
    profile.country = details.country.upper()
    profile.contact_email = details.contact_email.strip()
    profile.show_contact_email = bool(details.show_contact_email and profile.contact_email)
    if logo is not None:
        # Judged here (the person sees a refusal on the page); resized by a job after the
        # response: the previous logo (or the initial) shows until then.
        try:
            accept(LOGO_SLOT, profile, logo.data, person_id=actor.id)
        except ImageRejected as exc:
            raise LogoRejected(logo.filename, exc.reason) from exc
    elif remove_logo:
        clear(LOGO_SLOT, profile)
    has_logo = profile.logo_key or profile.logo_original_key
    profile.logo_alt = details.logo_alt.strip() if has_logo else ""
    db.session.flush()
    return profile


def erase_logo_files(profile: OrganiserProfile) -> None:
    """The logo shown and one still being resized go (files no other organisation uses go after
    the commit)."""
    clear(LOGO_SLOT, profile)
    profile.logo_alt = ""


def _keep_width(profile: OrganiserProfile, stored: StoredImage | None) -> None:
    profile.logo_width = stored.width if stored else None


def _widths(profile: OrganiserProfile) -> list[int]:
    return profile.logo_widths()


# An organisation's logo: never upscaled (a small logo keeps its own width).
LOGO_SLOT = Slot("logo", OrganiserProfile, "o", LOGO_WIDTHS, keep=_keep_width, widths_of=_widths)
