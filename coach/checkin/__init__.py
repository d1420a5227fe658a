"""Check-ins and scoring, the manager's side of a cycle.

- `history`: read a team's check-in export (`read_history`) and where each key result stands (`kr_states`);
- `state`: progress against the cycle's pace, confidence, staleness, forecast and risk of one key result;
- `pack`: the check-in question pack, riskiest key results first, from the rules or, per key result, a model
  (`ask`: the prompt's data and the guard on each answer; `answer`: the schema and shape check it asks
  with); `result`: the pack as data, which the reports read;
- `values`: baselines, targets and values as teams write them, and the share of the way covered;
- `scoring`: end-of-cycle scores from 0.0 to 1.0 and the retrospective questions.
"""
