"""What a map shows, from the register: every active place with coordinates, with its
incidents in the period and its joint level (places without coordinates are counted apart)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.maps.render import MapPoint
from storage.repositories import UnitOfWork


@dataclass(frozen=True)
class MapPoints:
    points: tuple[MapPoint, ...]
    unplaced: tuple[str, ...]  # places with incidents but no coordinates: not on the map


def map_points(
    uow: UnitOfWork, group_id: int, counts: Mapping[int, int], levels: Mapping[int, str]
) -> MapPoints:
    points, unplaced = [], []
    for place in uow.places.of_group(group_id):
        n = counts.get(place.id or 0, 0)
        if place.latitude is None or place.longitude is None:
            if n:
                unplaced.append(place.name)
            continue
        level = levels.get(place.id or 0)
        points.append(
            MapPoint(place.name, place.district, place.latitude, place.longitude, n, level)
        )
    return MapPoints(tuple(points), tuple(unplaced))
