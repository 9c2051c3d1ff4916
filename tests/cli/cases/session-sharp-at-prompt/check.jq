.[0] | .end == "sharp-or-new-pain" and .steps[0].status == "interrupted" and .steps_done == 0
