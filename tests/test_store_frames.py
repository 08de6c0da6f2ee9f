"""Reading a login's stored record straight into frames: the same frames as load_record, then record_frames."""

from __future__ import annotations

import gc
from dataclasses import fields
from datetime import UTC, datetime

import pandas as pd
import pytest

from fakehub.demo import LARGE_LOGIN
from portfolio.demo import DEMO_LOGIN, load_demo
from portfolio.errors import UnusableStore
from portfolio.frames import Frames, record_frames
from portfolio.model import (
    ChangedFile,
    Comment,
    CommitYear,
    Discussion,
    Issue,
    Profile,
    PullRequest,
    Record,
    Repo,
    Review,
)
from portfolio.store import Store

T0 = datetime(2024, 3, 4, 5, 6, 7, 891_234, tzinfo=UTC)


def assert_same_frames(store: Store, login: str) -> None:
    """The fast read path's frames equal the model path's, frame by frame: values, order and dtypes."""
    expected = record_frames(store.load_record(login))
    actual = store.load_frames(login)
    assert actual is not None
    for part in fields(Frames):
        pd.testing.assert_frame_equal(
            getattr(actual, part.name), getattr(expected, part.name), check_exact=True
        )


def test_the_demo_reads_the_same(tmp_path):
    """The shipped demo contributor reads into the same frames both ways."""
    with Store(tmp_path / "store.sqlite") as store:
        load_demo(store)
        assert_same_frames(store, DEMO_LOGIN)


def test_the_large_generated_record_reads_the_same(tmp_path, large_data):
    """The generated 10k-contribution record (the benchmark's) reads into the same frames both ways."""
    with Store(tmp_path / "store.sqlite") as store:
        store.replace_record(large_data.record_for(LARGE_LOGIN), None)
        assert_same_frames(store, LARGE_LOGIN)


def _pr(number: int, repo: str, files: tuple[ChangedFile, ...] | None, **extra: object) -> PullRequest:
    """A pull request of octo-cat's numbered ``number`` in ``repo``."""
    return PullRequest(
        node_id=f"PR_{repo}_{number}", repo=repo, number=number, title=f"PR {number} «{repo}»",
        url=f"https://github.com/{repo}/pull/{number}", author="octo-cat", state="merged", created_at=T0,
        files=files, **extra,
    )  # fmt: skip


def test_edge_cases_read_the_same(tmp_path):
    """Repositories differing only in case or beyond ASCII, files unseen or none, missing values and another
    login's rows in the same store all read into the same frames both ways."""
    files = (
        ChangedFile("docs/ä.md", "modified", 3, 1),
        ChangedFile("src/x.py"),
        ChangedFile("b.py", None, 0, 0),
    )
    record = Record(
        profile=Profile("octo-cat", name="Octo 🐙", followers=None, created_at=T0),
        repos=(
            Repo("Org/Proj", "Org", stars=5, topics=("a", "b")),
            Repo("org/zeta", "org", is_fork=True, archived=None),
            Repo("émile/projet", "émile", topics=()),
            Repo("else/untouched", "else"),
        ),
        pull_requests=(
            _pr(2, "org/zeta", files, labels=("docs", "ü"), draft=None, closes=()),
            _pr(1, "org/zeta", None, merged_at=T0, additions=None, closes_labels=("bug",)),
            _pr(
                9,
                "Org/Proj",
                (),
                draft=True,
                closes=("https://github.com/Org/Proj/issues/3",),
                merged_at=datetime(2021, 5, 6, 7, 8, 9, tzinfo=UTC),  # beside T0's microseconds
            ),
            _pr(10, "Org/Proj", files[:1], updated_at=datetime(2020, 1, 1, tzinfo=UTC)),
            _pr(3, "émile/projet", files[1:]),
        ),
        issues=(
            Issue(
                "I_2",
                "org/zeta",
                4,
                "t",
                "https://github.com/org/zeta/issues/4",
                "octo-cat",
                "open",
                T0,
                has_steps=False,
                has_code=None,
                closed_by=None,
            ),
            Issue(
                "I_1",
                "Org/Proj",
                3,
                "t",
                "https://github.com/Org/Proj/issues/3",
                "octo-cat",
                "closed",
                T0,
                closed_by=("https://github.com/Org/Proj/pull/9",),
                body_length=12,
                has_steps=True,
            ),
        ),
        reviews=(
            Review("R_b", "https://github.com/a/b/pull/1", "a/b", "octo-cat", "APPROVED", T0, 2, "x"),
            Review("R_a", "https://github.com/a/b/pull/2", "a/b", "octo-cat"),
        ),
        discussions=(
            Discussion(
                "D_1",
                "started",
                "Org/Proj",
                "Q",
                "https://github.com/Org/Proj/discussions/1",
                "octo-cat",
                T0,
                answered=False,
                upvotes=3,
            ),
        ),
        comments=(Comment("C_1", "a/b", "octo-cat", T0, "https://github.com/a/b/issues/1", words=7),),
        commit_years=(
            CommitYear("octo-cat/2024", "octo-cat", 2024, 40),
            CommitYear("octo-cat/2023", "octo-cat", 2023, 1),
        ),
    )
    other = Record(
        profile=Profile("someone"),
        pull_requests=(PullRequest("PR_other", "org/zeta", 5, "t", "u", "someone", "open", T0, files=files),),
    )
    with Store(tmp_path / "store.sqlite") as store:
        store.replace_record(record, None)
        store.replace_record(other, None)
        assert_same_frames(store, "octo-cat")
        assert_same_frames(store, "OCTO-CAT")
        frames = store.load_frames("octo-cat")
    assert list(frames.prs["repo"]) == ["Org/Proj", "Org/Proj", "org/zeta", "org/zeta", "émile/projet"]
    assert list(frames.repos["full_name"]) == ["Org/Proj", "org/zeta", "émile/projet"]


def test_a_profile_alone_reads_the_same(tmp_path):
    """A login with nothing but its profile reads into empty frames with every column, both ways."""
    with Store(tmp_path / "store.sqlite") as store:
        store.replace_record(Record(profile=Profile("octo-cat")), None)
        assert_same_frames(store, "octo-cat")


def test_a_login_never_collected_is_none(tmp_path):
    """A login without a stored profile has no frames, as it has no record."""
    with Store(tmp_path / "store.sqlite") as store:
        assert store.load_frames("nobody") is None


def test_a_row_that_cannot_be_decoded_is_an_unusable_store(tmp_path):
    """A stored time that is not ISO text is refused as a damaged store, as load_record refuses it."""
    with Store(tmp_path / "store.sqlite") as store:
        store.replace_record(Record(profile=Profile("octo-cat"), pull_requests=(_pr(1, "a/b", None),)), None)
        store.conn.execute("UPDATE pull_requests SET created_at = 'yesterday'")
        with pytest.raises(UnusableStore, match="cannot be read"):
            store.load_frames("octo-cat")
        with pytest.raises(UnusableStore, match="cannot be read"):
            store.load_record("octo-cat")


def test_stored_files_short_of_fields_read_the_same(tmp_path):
    """A stored file array lacking trailing fields reads as ChangedFile's defaults both ways; PRs with no
    files, unseen files and a PR without any stored file keep their places."""
    prs = (_pr(1, "a/b", None), _pr(2, "a/b", ()), _pr(3, "a/b", (ChangedFile("x.py"),)), _pr(4, "a/b", None))
    with Store(tmp_path / "store.sqlite") as store:
        store.replace_record(Record(profile=Profile("octo-cat"), pull_requests=prs), None)
        store.conn.execute(
            "UPDATE pull_requests SET files = ? WHERE number = 3",
            ('[["x.py"], ["y.py", "added"], ["z", null, 1]]',),
        )
        assert_same_frames(store, "octo-cat")
        assert list(store.load_frames("octo-cat").files["path"]) == ["x.py", "y.py", "z"]


@pytest.mark.parametrize("files", ['[["a.py", "added", 1, 2, 3]]', "[[]]"])
def test_a_stored_file_that_cannot_be_decoded_is_an_unusable_store(tmp_path, files):
    """A stored file with more fields than ChangedFile, or none, is refused both ways."""
    with Store(tmp_path / "store.sqlite") as store:
        store.replace_record(Record(profile=Profile("octo-cat"), pull_requests=(_pr(1, "a/b", ()),)), None)
        store.conn.execute("UPDATE pull_requests SET files = ?", (files,))
        with pytest.raises(UnusableStore, match="cannot be read"):
            store.load_frames("octo-cat")
        with pytest.raises(UnusableStore, match="cannot be read"):
            store.load_record("octo-cat")


def test_the_read_leaves_the_cycle_collector_as_it_found_it(tmp_path):
    """The read pauses Python's cycle collector and turns it back on only if it was on, also on failure."""
    with Store(tmp_path / "store.sqlite") as store:
        store.replace_record(Record(profile=Profile("octo-cat"), pull_requests=(_pr(1, "a/b", None),)), None)
        assert gc.isenabled()
        store.load_frames("octo-cat")
        assert gc.isenabled()
        gc.disable()
        try:
            store.load_frames("octo-cat")
            assert not gc.isenabled()
        finally:
            gc.enable()
        store.conn.execute("UPDATE pull_requests SET created_at = 'yesterday'")
        with pytest.raises(UnusableStore):
            store.load_frames("octo-cat")
        assert gc.isenabled()
