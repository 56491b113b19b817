"""The gazetteer as explicit state: Gazetteer objects, the default and the current one,
use_gazetteer (a setter and a context manager, per thread and task), what an import makes
visible, and the bounded memo of names looked up."""

from __future__ import annotations

import asyncio
import contextvars
import importlib
import sys
import threading
from pathlib import Path

import pytest

from weaponsref.errors import ArgumentError, ArgumentValueError, UnknownPlaceError
from weaponsref.gazetteer import (
    Gazetteer,
    as_location,
    current_gazetteer,
    default_gazetteer,
    place,
    place_arrays,
    places,
    search_places,
    use_gazetteer,
    user_gazetteer_info,
)

cities = importlib.import_module("weaponsref.gazetteer._cities")


def row(geonameid: int, name: str, population: str = "350", lat: str = "50.1") -> str:
    """One line of GeoNames' geoname table (19 tab-separated columns)."""
    columns = [str(geonameid), name, name, "", lat, "30.2", "P", "PPL", "UA", ""]
    columns += ["13", "", "", "", population, "", "150", "Europe/Kyiv", "2024-01-01"]
    return "\t".join(columns) + "\n"


def dump(folder: Path, text: str, name: str = "UA.txt") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _back_to_the_default() -> object:
    yield
    use_gazetteer(None)


def test_the_default_is_current_and_the_module_functions_use_it() -> None:
    assert current_gazetteer() is default_gazetteer()
    assert default_gazetteer() is default_gazetteer()
    assert place("Kyiv") is default_gazetteer().place("Kyiv")
    assert places() is default_gazetteer().places()
    assert search_places("Kharkov") == default_gazetteer().search_places("Kharkov")
    assert repr(default_gazetteer()) == "Gazetteer()"


def test_use_gazetteer_as_a_context_manager_and_a_setter(tmp_path: Path) -> None:
    village = dump(tmp_path, row(9_999_901, "Zelenyi Yar"))
    mine = Gazetteer(tmp_path / "mine")
    mine.import_geonames(village)
    with pytest.raises(UnknownPlaceError):
        place("Zelenyi Yar")  # the default gazetteer's folder holds no import
    with use_gazetteer(mine) as chosen:
        assert chosen is mine is current_gazetteer()
        assert place("Zelenyi Yar").population == 350
        assert as_location("Zelenyi Yar") is mine.place("Zelenyi Yar")
        assert user_gazetteer_info() == mine.user_gazetteer_info()
    assert current_gazetteer() is default_gazetteer()
    use_gazetteer(str(tmp_path / "mine"))  # a folder: a Gazetteer of it
    assert current_gazetteer().folder == str(tmp_path / "mine")
    assert place("Zelenyi Yar").population == 350
    use_gazetteer(None)
    assert current_gazetteer() is default_gazetteer()


@pytest.mark.parametrize(
    "bad", [5, b"folder", ["a"], object()], ids=["int", "bytes", "list", "object"]
)
def test_use_gazetteer_refuses_what_is_no_gazetteer(bad: object) -> None:
    with pytest.raises(ArgumentError):
        use_gazetteer(bad)  # type: ignore[arg-type]
    assert current_gazetteer() is default_gazetteer()


def test_a_gazetteer_checks_its_arguments(tmp_path: Path) -> None:
    with pytest.raises(ArgumentError):
        Gazetteer(5)  # type: ignore[arg-type]
    with pytest.raises(ArgumentError):
        Gazetteer(user="no")  # type: ignore[arg-type]
    with pytest.raises(ArgumentValueError):
        Gazetteer(tmp_path, user=False)
    with pytest.raises(ArgumentValueError, match="user=False"):
        Gazetteer(user=False).import_geonames(tmp_path / "UA.txt")


def test_the_choice_is_per_thread_and_per_task(tmp_path: Path) -> None:
    mine = Gazetteer(user=False)
    seen: list[Gazetteer] = []
    with use_gazetteer(mine):
        thread = threading.Thread(target=lambda: seen.append(current_gazetteer()))
        thread.start()
        thread.join()
        # A copy of this context carries the choice where the code asks for it.
        seen.append(contextvars.copy_context().run(current_gazetteer))

    async def task(gazetteer: Gazetteer) -> Gazetteer:
        use_gazetteer(gazetteer)
        await asyncio.sleep(0)
        return current_gazetteer()

    async def both() -> list[Gazetteer]:
        other = Gazetteer(tmp_path)
        return list(await asyncio.gather(task(mine), task(other)))

    # In a thread of its own: an earlier test (Playwright's sync API) may leave an event loop
    # running in this one, and asyncio.run refuses to start inside it.
    found: list[list[Gazetteer]] = []
    runner = threading.Thread(target=lambda: found.append(asyncio.run(both())))
    runner.start()
    runner.join(timeout=60)
    first, second = found[0]
    # A new thread starts from an empty context (unless Python is told to copy it).
    inherits = bool(getattr(sys.flags, "thread_inherit_context", 0))
    assert seen == [mine if inherits else default_gazetteer(), mine]
    assert first is mine and second is not mine and second.folder == str(tmp_path)
    assert current_gazetteer() is default_gazetteer()


def test_an_import_is_visible_to_every_gazetteer_of_that_folder(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    reader, writer, other = Gazetteer(folder), Gazetteer(folder), Gazetteer(tmp_path / "o")
    with pytest.raises(UnknownPlaceError):
        reader.place("Zelenyi Yar")
    writer.import_geonames(dump(tmp_path, row(9_999_901, "Zelenyi Yar")))
    assert reader.place("Zelenyi Yar").population == 350
    assert reader.get_place("Zelenyi Yar") is reader.place("Zelenyi Yar")
    assert other.get_place("Zelenyi Yar") is None
    assert Gazetteer(user=False).get_place("Zelenyi Yar") is None
    assert len(reader.place_arrays().lats) == len(Gazetteer(user=False).place_arrays().lats) + 1


def test_the_default_gazetteer_reads_the_data_folder_when_it_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Gazetteer(tmp_path / "a").import_geonames(dump(tmp_path, row(9_999_901, "Zelenyi Yar")))
    monkeypatch.setenv("WEAPONSREF_DATA_DIR", str(tmp_path / "a"))
    default_gazetteer().reload()
    assert default_gazetteer().folder == str(tmp_path / "a")
    assert place("Zelenyi Yar").population == 350
    monkeypatch.setenv("WEAPONSREF_DATA_DIR", str(tmp_path / "b"))
    # Open already: it keeps the folder it opened with until reload() (documented).
    assert place("Zelenyi Yar").population == 350
    default_gazetteer().reload()
    with pytest.raises(UnknownPlaceError):
        place("Zelenyi Yar")


def test_a_name_looked_up_again_is_the_remembered_place(tmp_path: Path) -> None:
    gazetteer = Gazetteer(tmp_path)
    first = gazetteer.place("Kharkov")
    state = gazetteer._opened()
    assert state.names.get("Kharkov") == (first,)  # remembered with its namesakes
    assert gazetteer.place("Kharkov") is first
    assert gazetteer._opened() is state  # nothing was opened again
    with use_gazetteer(gazetteer):
        assert as_location("Kharkov") is first
        assert state.located.get("Kharkov") is first
        # Coordinates are read every time, never remembered as names.
        as_location("50.0,36.2")
        assert state.located.get("50.0,36.2") is None


def test_the_memo_is_forgotten_when_the_gazetteer_changes(tmp_path: Path) -> None:
    gazetteer = Gazetteer(tmp_path / "data")
    before = gazetteer.place("Springfield")
    assert before.population is not None and before.population < 9_000_000
    with use_gazetteer(gazetteer):
        assert as_location("Springfield") is before
    # A far bigger Springfield: the remembered answer must not survive the import.
    bigger = row(9_999_910, "Springfield", population="9000000")
    gazetteer.import_geonames(dump(tmp_path, bigger))
    assert gazetteer.place("Springfield").population == 9_000_000
    with use_gazetteer(gazetteer):
        assert as_location("Springfield").population == 9_000_000  # type: ignore[union-attr]
    state = gazetteer._opened()
    gazetteer.reload()
    assert gazetteer._opened() is not state
    assert gazetteer._opened().names.get("Springfield") is None


def test_the_memo_is_bounded_and_drops_the_oldest() -> None:
    memo: cities._Memo[str, int] = cities._Memo(3)
    for number, key in enumerate("abcde"):
        memo.put(key, number)
    assert len(memo) == 3
    assert [memo.get(k) for k in "abcde"] == [None, None, 2, 3, 4]
    assert cities._REMEMBERED == 4096


def test_many_threads_filling_the_memo_keep_it_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cities, "_REMEMBERED", 16)
    gazetteer = Gazetteer(user=False)
    names = [p.name for p in gazetteer.places_in_box(40.0, 20.0, 60.0, 45.0, limit=200)]
    errors: list[BaseException] = []

    def look(offset: int) -> None:
        try:
            for name in names[offset:] + names[:offset]:
                gazetteer.place(name)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=look, args=(i * 25,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(gazetteer._opened().names) <= 16


def test_place_arrays_turn_an_index_into_the_place_of_their_own_gazetteer(tmp_path: Path) -> None:
    gazetteer = Gazetteer(tmp_path)
    gazetteer.import_geonames(dump(tmp_path, row(9_999_901, "Zelenyi Yar", "99999999")))
    arrays = gazetteer.place_arrays()
    assert arrays is gazetteer.place_arrays()  # built once per state
    assert arrays.place(0).name == "Zelenyi Yar"  # the most populous, from this gazetteer
    assert place_arrays().place(0).name == "Shanghai"  # the default one has no such import
