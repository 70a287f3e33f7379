"""Saving an organisation's details and logo (never commits: the view does)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.media.pipeline import ImageRejected
from app.media.services import discard_image, store_image
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
    old_key, old_widths = profile.logo_key, profile.logo_widths()
    if logo is not None:
        try:
            stored = store_image(logo.data, kind="o", widths=LOGO_WIDTHS)
        except ImageRejected as exc:
            raise LogoRejected(logo.filename, exc.reason) from exc
        profile.logo_key, profile.logo_width = stored.key, stored.width
    elif remove_logo:
        profile.logo_key, profile.logo_width = None, None
    profile.logo_alt = details.logo_alt.strip() if profile.logo_key else ""
    if old_key and old_key != profile.logo_key:
        discard_logo_if_unused(old_key, old_widths, profile.id)
    db.session.flush()
    return profile


def discard_logo_if_unused(key: str, widths: list[int], profile_id: int) -> None:
    """Delete a logo's files after the commit unless another organisation uses the same image."""
    others = db.session.scalar(
        select(func.count())
        .select_from(OrganiserProfile)
        .where(OrganiserProfile.logo_key == key, OrganiserProfile.id != profile_id)
    )
    if not others:
        discard_image(key, widths)
