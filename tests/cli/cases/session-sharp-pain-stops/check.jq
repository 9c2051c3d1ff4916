.[0] | .end == "sharp-or-new-pain" and .steps_done == 2 and .steps[2].status == "not-reached" and (.advice | test("Stop at once")) and .pain_after == 7
