"""The notification centre's API at /api/v1/notifications: the caller's own notices (unread first,
paginated) and marking them read. Reads through `Notification.objects.visible_to`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from yuanqu.core.apiauth import api_user
from yuanqu.core.contract.pagination import Mapped, Page
from yuanqu.core.contract.schemas import Id, InputSchema
from yuanqu.notifications import selectors, services
from yuanqu.notifications.models import Notification

router = Router(tags=["通知"])


class InboxNotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    link: str
    created_at: dt.datetime
    read: bool


class NotificationsReadIn(InputSchema):
    ids: Annotated[list[Id], Field(max_length=1000)] | None = None


class UnreadOut(Schema):
    unread: int


class ReadOut(Schema):
    updated: int


def _out(row: Notification) -> dict[str, Any]:
    return {
        "id": row.pk,
        "kind": row.kind,
        "title": row.title,
        "body": row.body,
        "link": row.link,
        "created_at": row.created_at,
        "read": row.read_at is not None,
    }


@router.get("/", response=list[InboxNotificationOut], summary="我的通知（未读在前）")
@paginate(Page, page_size=50)
def notifications_list(request: HttpRequest) -> Any:
    return Mapped(selectors.notifications_for(api_user(request)), _out)


@router.get("/unread", response=UnreadOut, summary="未读通知数")
def notifications_unread(request: HttpRequest) -> Any:
    return {"unread": selectors.unread_count(api_user(request))}


@router.post("/read", response=ReadOut, summary="标记通知已读（不传 ids 则全部）")
def notifications_read(request: HttpRequest, payload: NotificationsReadIn) -> Any:
    return {"updated": services.notifications_mark_read(user=api_user(request), ids=payload.ids)}
