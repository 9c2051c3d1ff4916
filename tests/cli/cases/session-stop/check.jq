.[0] | .end == "stopped" and .steps_done == 1 and .steps[1].status == "interrupted"
