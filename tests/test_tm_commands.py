"""``hexaglot tm``: import, lookup, stats and export as a desk manager runs them."""

from __future__ import annotations

import argparse

import pytest

from hexaglot.document import HexaglotError
from hexaglot.tm.commands import add_tm_commands
from hexaglot.tm.tmx import read_tmx
from test_tm_tmx import TRADOS, tmx, tu


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="hexaglot")
    add_tm_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.handler(args)


def test_tm_commands_import_lookup_stats_export(tmp_path, capsys):
    memory = str(tmp_path / "desk.sqlite")
    assert run(["tm", "import", str(TRADOS), "--tm", memory]) == 0
    assert "5 units read, 5 stored" in capsys.readouterr().err
    assert run(["tm", "lookup", "More than 3,000 delegates from 110 countries attended the "
                "ceremony on 25 October 2025.", "--from", "en", "--to", "fr", "--tm",
                memory]) == 0
    out = capsys.readouterr().out
    assert out.startswith("99 (fuzzy)\timported")
    assert "target:       Plus de 3 000 délégués" in out and "number 2,500 -> 3,000" in out
    assert run(["tm", "lookup", "Nothing of the kind.", "--from", "en", "--to", "fr", "--tm",
                memory]) == 1
    assert run(["tm", "stats", "--tm", memory]) == 0
    out = capsys.readouterr().out
    assert "5 units" in out and "en → fr\t5" in out and "imported 4, mt 1" in out
    exported = tmp_path / "back.tmx"
    assert run(["tm", "export", str(exported), "--tm", memory, "--to", "fr"]) == 0
    assert len(read_tmx(exported, "en", "fr")) == 5


def test_tm_import_exit_code_and_messages_on_problems(tmp_path, capsys):
    path = tmx(tmp_path / "bad.tmx", tu(1) + tu(2).replace("<seg>Paragraph 2", "<seg>A & B"))
    memory = str(tmp_path / "desk.sqlite")
    assert run(["tm", "import", str(path), "--tm", memory]) == 1
    err = capsys.readouterr().err
    assert f"error: {path}, line 11: the XML is damaged here" in err
    with pytest.raises(HexaglotError, match="nothing was imported"):
        run(["tm", "import", str(path), "--tm", memory, "--on-error", "abort"])
    with pytest.raises(HexaglotError, match="no translation memory there"):
        run(["tm", "lookup", "x", "--from", "en", "--to", "fr", "--tm",
             str(tmp_path / "none.sqlite")])
