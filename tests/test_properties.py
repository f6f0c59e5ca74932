"""Property-based tests (hypothesis): the core either succeeds or raises its own error type,
anchors survive arbitrary edits outside a quote, and text is never turned into control codes.

CI runs a bounded number of examples; a longer fuzz run:
    CSTO_FUZZ_EXAMPLES=20000 python -m pytest tests/test_properties.py
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csto_tui.anchoring import locate
from csto_tui.checking import check
from csto_tui.errors import CstoError
from csto_tui.loader import load
from csto_tui.textsafe import one_line, visible

EXAMPLES = int(os.environ.get("CSTO_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "seeds" / "000_3015bca6c6aaec53.txt").read_text(encoding="utf-8")

TOML_PIECES = st.sampled_from([
    "[dataset]\n", 'title = "t"\n', 'base = ".."\n', 'base = "/"\n', "[[sources]]\n",
    'id = "a1"\n', 'file = "seeds/000_3015bca6c6aaec53.txt"\n', 'file = "../x"\n',
    "[[quotes]]\n", 'id = "q1"\n', 'source = "a1"\n', 'text = "2,500 of its troops"\n',
    "[[states]]\n", 'id = "kaz"\n', 'name = "Kazakhstan"\n', 'status = "member"\n',
    'quotes = ["q1"]\n', "[[states.membership]]\n", 'kind = "member"\n', 'from = "1994"\n',
    'to = "1990"\n', "[[events]]\n", 'date = "2022-02-30"\n', 'response = "intervened"\n',
    'summary = "s"\n', 'title = "x"\n', "states = 3\n", "quotes = [1, 2]\n", "value = true\n",
    "[[metrics]]\n", 'state = "nope"\n', "[[conflicts]]\n", "[[conflicts.readings]]\n",
    '= "x"\n', "[[", "\x00", "\ufeff", "\u2028", '"\\u001b[31m"\n', "id = 5\n", "\n",
])


@FUZZ
@given(st.lists(TOML_PIECES, max_size=40), st.text(max_size=30))
def test_loader_and_checker_succeed_or_raise_own_error(tmp_path_factory, pieces, junk) -> None:
    tmp = tmp_path_factory.mktemp("fuzz")
    (tmp / "seeds").mkdir()
    shutil.copy(ROOT / "seeds" / "000_3015bca6c6aaec53.txt", tmp / "seeds")
    (tmp / "data").mkdir()
    p = tmp / "data" / "csto.toml"
    p.write_text("".join(pieces) + junk, encoding="utf-8", errors="surrogatepass")
    try:
        rep = check(p)
    except CstoError as exc:
        assert exc.message
        return
    for prob in rep.problems:
        assert prob.format()


@FUZZ
@given(st.text(max_size=300))
def test_arbitrary_source_text_checks_without_crashing(tmp_path_factory, text) -> None:
    tmp = tmp_path_factory.mktemp("src")
    (tmp / "a.txt").write_text(text, encoding="utf-8", errors="surrogatepass")
    (tmp / "d.toml").write_text('''
[[sources]]
id = "a"
file = "a.txt"
[[quotes]]
id = "q"
source = "a"
text = "Kazakhstan"
[[states]]
id = "kaz"
name = "Kazakhstan"
status = "outside"
quotes = ["q"]
''', encoding="utf-8")
    try:
        res = load(tmp / "d.toml")
        check(result=res)
    except CstoError:
        pass


QUOTE_START = SEED.index("2,500 of its troops")
QUOTE = SEED[QUOTE_START:QUOTE_START + 80]

edit_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
                    max_size=40)


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(SEED)), st.integers(0, 30), edit_text),
                max_size=6))
def test_edits_outside_a_quote_keep_it_found_at_its_new_place(edits) -> None:
    text = SEED
    start = QUOTE_START
    for pos, delete, insert in edits:
        end_q = start + len(QUOTE)
        # keep the edit strictly outside the quote
        if pos + delete > start - 1 and pos < end_q + 1:
            continue
        text = text[:pos] + insert + text[pos + delete:]
        if pos < start:
            start += len(insert) - delete
    assert text[start:start + len(QUOTE)] == QUOTE
    prefix = SEED[max(0, QUOTE_START - 32):QUOTE_START]
    suffix = SEED[QUOTE_START + len(QUOTE):QUOTE_START + len(QUOTE) + 32]
    a = locate(text, QUOTE, prefix, suffix, hint=QUOTE_START)
    if text.count(QUOTE) == 1:
        assert a.status in ("exact", "moved")
        assert (a.start, a.end) == (start, start + len(QUOTE))
    else:  # an inserted copy of the quote may make it ambiguous, never lost
        assert a.status in ("exact", "moved", "ambiguous")
        assert text[a.start:a.end] == QUOTE


@FUZZ
@given(st.text(max_size=200))
def test_visible_text_has_no_control_characters(s) -> None:
    out = visible(s)
    assert not any((ord(c) < 32 and c not in "\n\t") or 0x7f <= ord(c) <= 0x9f for c in out)
    assert "\n" not in one_line(s)
    # printable text passes through unchanged
    plain = "".join(c for c in s if c.isprintable())
    assert visible(plain) == plain


@pytest.mark.parametrize("payload", ["[bold]x[/]", "[link=http://e.x]y[/link]", "\x1b[31mred",
                                     "\x1b]52;c;ZXZpbA==\x07", "\x9b31m", "a\rb"])
def test_visible_neutralises_escape_sequences(payload: str) -> None:
    out = visible(payload)
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out and "\r" not in out
    if payload.startswith("["):
        assert out == payload  # markup-looking text is kept literally; renderers use Text()


PRINTABLE = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
                    max_size=120)


@FUZZ
@given(PRINTABLE, PRINTABLE)
def test_any_text_renders_in_a_pane_as_the_same_characters(role: str, source: str) -> None:
    """What a pane draws for a data string is that string's characters (control characters
    made visible), whatever markup or escape codes it holds."""
    import io

    from rich.console import Console

    from csto_tui.dataset import Dataset
    from csto_tui.model import Metric, Quote, Source, State
    from csto_tui.widgets.render import metric_heading, quote_in_context, safe

    def drawn(text) -> str:  # the characters a terminal would receive, with no styling
        buf = io.StringIO()       # codes of Rich's own, so any escape would come from data
        Console(file=buf, width=10_000, color_system=None, force_terminal=False,
                legacy_windows=False).print(text, end="", soft_wrap=True)
        return buf.getvalue()

    expected = safe(role)
    from rich.text import Text

    assert drawn(Text(expected)) == expected
    assert "\x1b" not in expected and "\x07" not in expected
    m = Metric("m", "s", "economic", role or "x", 26.0, "% of GDP", 2020, "more than")
    assert safe(role or "x") in drawn(metric_heading(m))
    body = "before " + source + " after"
    q = Quote("q", "a", source or "x")
    ds = Dataset(Path("d.toml"), Path("."), "t", (Source("a", "a.txt", "A", Path("a.txt")),),
                 (q,), (State("s", "S", "member", quotes=("q",)),), (m,), ())
    ds.texts["a"] = body
    shown = drawn(quote_in_context(ds, q))
    assert not any(ord(c) < 32 and c != "\n" for c in shown)
    assert safe(source or "x") in " ".join(shown.split())
