"""The quality gate's decision and message."""
import pytest

from expectations.gate import gate_message

REASONS = {"readable_input": [30, ["/in/a.bin"]], "doc_date_not_future": [3, ["65TASHKENT5113", "65X1", "65X2"]],
           "doc_id_pattern": [1, ["<img>"]]}


@pytest.mark.parametrize("refused,parsed,threshold,fails", [
    pytest.param(0, 0, 0.5, False, id="nothing-parsed"),
    pytest.param(5, 10, 0.5, False, id="at-threshold"),
    pytest.param(6, 10, 0.5, True, id="above-threshold"),
    pytest.param(1, 100, 0.0, True, id="zero-tolerance"),
])
def test_gate_decision(refused, parsed, threshold, fails):
    assert (gate_message(refused, parsed, threshold, REASONS) is not None) is fails


def test_gate_message_names_document_reasons_not_unreadable_inputs():
    msg = gate_message(4, 5, 0.5, REASONS)
    assert msg.startswith("quality gate: 4 of 5 documents failed validation (80% > threshold 50%), so nothing was "
                          "committed")
    assert "doc_date_not_future x3 (e.g. 65TASHKENT5113, 65X1)" in msg and "readable_input" not in msg
    assert "\n" not in msg
