"""cell_label: one cell numbering (1-based among all cells) for the self-check and the grader."""
import pytest

from helpers.cells import cell_label


def test_position_counts_from_one_and_names_the_first_non_blank_line():
    assert cell_label(0, ["\n", "  \n", "def f(x):\n", "    return x\n"]) == 'cell 1 ("def f(x):")'


def test_long_first_line_is_shortened():
    label = cell_label(4, "y = " + "a" * 200)
    assert label.startswith('cell 5 ("y = aaa') and label.endswith('…")') and len(label) < 70


def test_negative_index_is_refused():
    with pytest.raises(ValueError, match="counts from 0"):
        cell_label(-1, "x")
