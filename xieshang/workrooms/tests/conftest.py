from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from xieshang.activities.models import ActivityKind
from xieshang.activities.services import activity_kinds_install_defaults
from xieshang.conftest import Cast, make_user
from xieshang.people.models import Member, User
from xieshang.workrooms.models import WorkroomMembership
from xieshang.workrooms.services import workroom_transition


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def jpeg(name: str = "photo.jpg", size: tuple[int, int] = (64, 48)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def activate(cast: Cast) -> None:
    workroom_transition(
        workroom=cast.workroom, action="activate", actor=cast.staff, expected_state=None
    )


def plain_member(cast: Cast, username: str = "t.member2", name: str = "天河委员乙") -> User:
    """A 天河 member who sits in the workroom but does not convene it."""
    user = make_user(username, name)
    seat = Member.objects.create(user=user, committee=cast.tianhe)
    WorkroomMembership.objects.create(workroom=cast.workroom, member=seat, role="member")
    return user


def kinds(cast: Cast) -> dict[str, ActivityKind]:
    activity_kinds_install_defaults(committee=cast.tianhe)
    activity_kinds_install_defaults(committee=cast.haizhu)
    return {k.name: k for k in ActivityKind.objects.filter(committee=cast.tianhe)}
