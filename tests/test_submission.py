"""Finding what a student handed in: notebooks of any format version, magics dropped, clear errors."""
import json

import pytest

from grader.submission import SubmissionError, defined_names, encoding_problem, load


def write_nb(path, nb):
    path.write_text(json.dumps(nb))
    return path


def test_v4_notebook_drops_magics_and_shell_lines(tmp_path):
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
         "source": "%matplotlib inline\n!pip install x\nfiles = !ls\ndef softmax(x):\n    return x"},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": "%%time\nslow()"},
        {"cell_type": "markdown", "metadata": {}, "source": "# notes"}]}
    sub = load(write_nb(tmp_path / "hw.ipynb", nb))
    assert "def softmax" in sub.notebook_code and "slow()" not in sub.notebook_code
    assert "%matplotlib" not in sub.notebook_code.replace("dropped IPython line: %matplotlib", "")
    assert defined_names(sub.notebook_code) == {"softmax"}
    assert "5 IPython magic/shell line(s) skipped" in sub.notes[0]


def test_old_v3_notebook_is_upgraded(tmp_path):
    nb = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [
        {"cell_type": "code", "input": "def mse(o, t):\n    return 0", "language": "python", "outputs": []}]}]}
    sub = load(write_nb(tmp_path / "old.ipynb", nb))
    assert defined_names(sub.notebook_code) == {"mse"}


def test_not_a_notebook_is_a_clear_error(tmp_path):
    with pytest.raises(SubmissionError, match="bad.ipynb: not a readable Jupyter notebook"):
        load(write_nb(tmp_path / "bad.ipynb", {"not": "a notebook"}))


def test_cp949_without_declaration_is_named(tmp_path):
    path = tmp_path / "ex14.py"
    path.write_bytes("# 한글\ndef softmax(x):\n    return x\n".encode("cp949"))
    assert "is not UTF-8 and declares no encoding (byte 0xc7 on line 1)" in encoding_problem(path)
    path.write_bytes("# -*- coding: cp949 -*-\n# 한글\n".encode("cp949"))
    assert encoding_problem(path) is None
