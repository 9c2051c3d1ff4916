.[0] | .end == "completed" and .steps_total == 5 and .steps_done == 5 and .pain_before == 6 and .pain_after == 3 and all(.steps[]; .status == "done") and (has("advice") | not)
