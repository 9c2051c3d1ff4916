.[0] | .end == "completed" and .week == 3 and .steps_done == 1
