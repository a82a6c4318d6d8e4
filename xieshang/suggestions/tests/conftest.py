from __future__ import annotations

import io
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from xieshang.conftest import Cast
from xieshang.suggestions.models import Area, AreaKind, Campaign, Category, Suggestion
from xieshang.suggestions.services import Intake, suggestion_submit


@pytest.fixture
def places(cast: Cast) -> dict[str, Any]:
    street = Area.objects.create(committee=cast.tianhe, name="猎德街", kind=AreaKind.STREET)
    return {
        "category": Category.objects.create(committee=cast.tianhe, name="城乡建设"),
        "street": street,
        "community": Area.objects.create(
            committee=cast.tianhe, name="猎德社区", kind=AreaKind.COMMUNITY, parent=street
        ),
        "haizhu_category": Category.objects.create(committee=cast.haizhu, name="城乡建设"),
    }


@pytest.fixture
def campaign(cast: Cast) -> Campaign:
    now = timezone.now()
    return Campaign.objects.create(
        committee=cast.tianhe,
        title="我为天河高质量发展献一计",
        code="tianhe-yiji",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=30),
    )


def form_data(**extra: Any) -> dict[str, Any]:
    data = {
        "title": "龙口东路下水道返臭",
        "content": "龙口东路段下水道长期返臭，夏天尤其严重，希望尽快整治。",
        "citizen_name": "陈先生",
        "phone": "138 1234 5678",
        "consent": "on",
        "idempotency_key": uuid.uuid4().hex,
    }
    data.update(extra)
    return data


def jpeg(name: str = "photo.jpg", size: tuple[int, int] = (64, 48)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def submit(cast: Cast, **extra: Any) -> Suggestion:
    fields: dict[str, Any] = {
        "committee": cast.tianhe,
        "title": "港海社区三线下地",
        "content": "港海社区电线杂乱，存在安全隐患，建议三线下地。",
        "idempotency_key": uuid.uuid4().hex,
        "phone": "13812345678",
        "citizen_name": "李女士",
    }
    fields.update(extra)
    suggestion, _created = suggestion_submit(intake=Intake(**fields))
    return suggestion
