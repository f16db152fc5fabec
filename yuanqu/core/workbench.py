"""The 工作台: the cards each app puts on a user's first page.

Each app that has something to say to a user on arrival keeps a module `<app>/cards.py` with a
function `cards(user, today) -> list[Card]`, answering only what that user's role can act on (and
nothing for the other roles). `cards_for` finds these modules among the installed apps, in the
order of INSTALLED_APPS, so a new app (energy, talent, factors) adds its cards by adding the module:
core imports none of them by name, and the workbench view (core.views.workbench) renders the cards
with one template. A provider reads through `visible_to` like any page. Each card names the app its
links open (`Card.app`), and the 工作台 shows it only to the roles `core.appgate` admits to that app,
so a card never leads a user to a page that refuses them."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from django.apps import apps

from yuanqu.core.appgate import may_open_app

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from yuanqu.core.models import User

logger = logging.getLogger(__name__)

# How an item is marked: late (past its deadline), due (soon), ok, or plain.
TONES = ("late", "due", "ok", "")


@dataclass(frozen=True)
class CardItem:
    """One line of a card: what it is (a link where there is a page), and a note such as a deadline."""

    label: StrOrPromise
    url: str = ""
    note: StrOrPromise = ""
    tone: str = ""

    def __post_init__(self) -> None:
        if self.tone not in TONES:
            raise ValueError(f"unknown tone {self.tone!r}")


@dataclass(frozen=True)
class Figure:
    """A number at the top of a card, with what it counts and where the rows behind it are."""

    label: StrOrPromise
    value: int | str
    url: str = ""
    tone: str = ""


@dataclass(frozen=True)
class Card:
    key: str  # stable, for tests and for the page's data-card attribute
    title: StrOrPromise
    # The app whose pages the card's links open (its URL namespace in core.appgate.APP_ROLES): the
    # card is shown only to a role that app admits.
    app: str
    figures: Sequence[Figure] = ()
    items: Sequence[CardItem] = ()
    empty: StrOrPromise = ""  # what the card says when it has no items
    more_url: str = ""
    more_label: StrOrPromise = ""
    order: int = 50  # smaller first; the tasks of the day before the overviews


Provider = Callable[["User", dt.date], list[Card]]


@cache
def providers() -> tuple[tuple[str, Provider], ...]:
    """The `cards` function of every installed app that has a cards module, by app label."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.cards"
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        found.append((config.label, module.cards))
    return tuple(found)


def cards_for(user: User, today: dt.date) -> list[Card]:
    """Every card of every app for this user, the day's tasks first; a card of an app the user's
    role may not open (core.appgate, the one table of who opens what) is not shown."""
    result: list[Card] = []
    for _label, provider in providers():
        result.extend(card for card in provider(user, today) if may_open_app(user, card.app))
    return sorted(result, key=lambda card: card.order)
